import { requirePageUser } from "@/lib/auth/session";
import { isDemoMode } from "@/lib/env";
import { listUsers } from "@/lib/users/list-users";
import { AdminNav, formatTime } from "../admin-nav";

export const metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const ROLE_STYLE = { admin: "bg-rose-50 text-rose-800", manager: "bg-indigo-50 text-indigo-800", agent: "bg-slate-100 text-slate-700" } as const;

export default async function UsersPage() {
  await requirePageUser("admin");
  const people = await listUsers();
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Admin</h1>
      <AdminNav current="/admin/users" />
      <p className="mb-4 text-sm text-slate-600">
        {isDemoMode()
          ? "Demo mode: these are the seeded demo users and their fixed roles."
          : "Everyone who has signed in. Roles come from your identity provider's groups through ROLE_MAP and are refreshed at every sign-in; change a role there, not here."}
      </p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2 font-medium">Name</th>
              <th className="px-4 py-2 font-medium">Email</th>
              <th className="px-4 py-2 font-medium">Role</th>
              <th className="px-4 py-2 font-medium">Last sign-in</th>
              <th className="px-4 py-2 font-medium">First seen</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {people.map((person) => (
              <tr key={person.id} data-testid="user-row">
                <td className="px-4 py-2 font-medium text-slate-900">{person.name}</td>
                <td className="px-4 py-2 text-slate-600">{person.email}</td>
                <td className="px-4 py-2">
                  <span className={`rounded-full px-2 py-0.5 text-xs font-medium capitalize ${ROLE_STYLE[person.role]}`}>{person.role}</span>
                </td>
                <td className="px-4 py-2 tabular-nums text-slate-600">{formatTime(person.lastSignInAt)}</td>
                <td className="px-4 py-2 tabular-nums text-slate-500">{formatTime(person.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {people.length === 0 && <p className="px-4 py-6 text-sm text-slate-500">Nobody has signed in yet.</p>}
      </div>
    </main>
  );
}
