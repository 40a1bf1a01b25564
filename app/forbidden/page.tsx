import Link from "next/link";

export const metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md px-4 py-24 text-center">
      <h1 className="text-xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="mt-2 text-sm text-slate-600">Your role doesn&apos;t include it. Ask an admin if you think it should.</p>
      <Link href="/replays" className="mt-6 inline-block text-sm font-medium text-indigo-700 hover:underline">Back to the replay queue</Link>
    </main>
  );
}
