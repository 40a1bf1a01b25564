import type { ReactNode } from "react";
import { TrainingNav } from "./training-nav";

// Only the tabs: every page under /training checks the manager role itself.
export default function TrainingLayout({ children }: { children: ReactNode }) {
  return (
    <div className="mx-auto max-w-[1600px] px-6 pt-4">
      <TrainingNav />
      {children}
    </div>
  );
}
