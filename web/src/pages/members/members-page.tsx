import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ownerOnlyRoles, roles } from "../../../../src/access/statements.ts";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog } from "../../components/ui/dialog.tsx";
import { Field, SelectField } from "../../components/ui/field.tsx";
import { EmptyState, ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { MemberRow } from "./member-row.tsx";

export const roleOptions = roles.map((role) => ({ value: role, label: role.toLowerCase() }));
/** The roles `myRole` may give: only an OWNER may grant OWNER (the server refuses others). */
export const assignableRoles = (myRole: string | undefined) =>
  roleOptions.filter((option) => myRole === "OWNER" || !ownerOnlyRoles.includes(option.value));
export const membersQuery = {
  queryKey: ["members.list"],
  queryFn: () => api.members.list.query().then((page) => page.items),
};

export function MembersPage() {
  const { can } = usePermissions();
  const members = useQuery(membersQuery);
  return (
    <div className="max-w-4xl space-y-8">
      <h1 className="text-2xl font-semibold">Members</h1>
      {can("member:invite") && <InviteForm />}
      {can("member:invite") && <PendingInvitations />}
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Current members</h2>
        {members.isPending && <Spinner />}
        {members.isError && <ErrorState error={members.error} onRetry={() => members.refetch()} />}
        {members.data && (
          <Table caption="Members" head={["Name", "E-mail", "Role", "Actions"]}>
            {members.data.map((member) => (
              <MemberRow key={member.id} member={member} />
            ))}
          </Table>
        )}
      </section>
      <LeaveOrganization />
    </div>
  );
}

function InviteForm() {
  const { role: myRole } = usePermissions();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<(typeof roles)[number]>("PARTICIPANT");
  const invite = useMutation({
    mutationFn: () => api.invitations.create.mutate({ email, role }),
    meta: { inlineError: true },
    onSuccess: () => {
      toast.success(`Invitation sent to ${email}`);
      setEmail("");
      return queryClient.invalidateQueries({ queryKey: ["invitations.list"] });
    },
  });
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Invite someone</h2>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate();
        }}
      >
        <div className="w-72">
          <Field
            label="E-mail to invite"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as typeof role)}
          options={assignableRoles(myRole)}
        />
        <Button type="submit" pending={invite.isPending}>
          Send invitation
        </Button>
      </form>
      <FormError error={invite.error} />
    </section>
  );
}

function PendingInvitations() {
  const queryClient = useQueryClient();
  const invitations = useQuery({
    queryKey: ["invitations.list"],
    queryFn: () => api.invitations.list.query().then((page) => page.items),
  });
  const [revoking, setRevoking] = useState<{ id: string; email: string } | null>(null);
  const revoke = useMutation({
    mutationFn: (invitationId: string) => api.invitations.revoke.mutate({ invitationId }),
    onSuccess: () => {
      toast.success("Invitation revoked");
      setRevoking(null);
      return queryClient.invalidateQueries({ queryKey: ["invitations.list"] });
    },
  });
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Pending invitations</h2>
      {invitations.isPending && <Spinner />}
      {invitations.isError && (
        <ErrorState error={invitations.error} onRetry={() => invitations.refetch()} />
      )}
      {invitations.data?.length === 0 && <EmptyState title="No pending invitations" />}
      {!!invitations.data?.length && (
        <Table caption="Pending invitations" head={["E-mail", "Role", "Expires", "Actions"]}>
          {invitations.data.map((invitation) => (
            <tr key={invitation.id}>
              <Cell>{invitation.email}</Cell>
              <Cell>{invitation.role.toLowerCase()}</Cell>
              <Cell>{new Date(invitation.expiresAt).toLocaleString()}</Cell>
              <Cell>
                <Button
                  variant="ghost"
                  aria-label={`Revoke invitation for ${invitation.email}`}
                  onClick={() => setRevoking(invitation)}
                >
                  Revoke
                </Button>
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title="Revoke invitation?"
        description={`The link sent to ${revoking?.email} will stop working.`}
        confirmLabel="Revoke"
        pending={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      />
    </section>
  );
}

function LeaveOrganization() {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const leave = useMutation({
    mutationFn: () => api.orgs.leave.mutate(),
    meta: { inlineError: true },
    onSuccess: () => {
      queryClient.clear();
      toast.success("You left the organization");
      window.location.assign("/organizations");
    },
  });
  return (
    <section className="space-y-3 border-t border-slate-200 pt-6">
      <h2 className="text-lg font-medium">Leave</h2>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Leave organization
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) leave.reset();
        }}
        title="Leave this organization?"
        description="You lose access to its workflows, credentials and reviews until invited again."
        confirmLabel="Leave"
        pending={leave.isPending}
        error={leave.error}
        onConfirm={() => leave.mutate()}
      />
    </section>
  );
}
