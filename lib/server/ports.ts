import net from "node:net";

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/** Resolves once something accepts connections on 127.0.0.1:`port`; gives up when `alive()` turns false. */
export async function waitForPort(port: number, alive: () => boolean = () => true): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (!alive()) throw new Error(`Next.js exited before listening on port ${port}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
