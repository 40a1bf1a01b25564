import { requirePageUser } from "@/lib/auth/session";
import { isDemoMode } from "@/lib/env";
import { listUsers } from "@/lib/users/list-users";
import { DataTable } from "@/components/ui/data-table";
import { AdminShell, formatTime } from "../admin-nav";

export const metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const ROLE_STYLE = { admin: "bg-rose-50 text-rose-800", manager: "bg-indigo-50 text-indigo-800", agent: "bg-slate-100 text-slate-700" } as const;

export default async function UsersPage() {
  await requirePageUser("admin");
  const people = await listUsers();
  return (
    <AdminShell current="/admin/users">
      <p className="mb-4 text-sm text-slate-600">
        {isDemoMode()
          ? "Demo mode: these are the seeded demo users and their fixed roles."
          : "Everyone who has signed in. Roles come from your identity provider's groups through ROLE_MAP and are refreshed at every sign-in; change a role there, not here."}
      </p>
      <DataTable
        columns={[{ label: "Name" }, { label: "Email" }, { label: "Role" }, { label: "Last sign-in" }, { label: "First seen" }]}
        empty={people.length === 0 && "Nobody has signed in yet."}
      >
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
      </DataTable>
    </AdminShell>
  );
}
