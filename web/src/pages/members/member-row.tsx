import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ownerOnlyRoles, type Role } from "../../../../src/access/statements.ts";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog } from "../../components/ui/dialog.tsx";
import { SelectField } from "../../components/ui/field.tsx";
import { Cell } from "../../components/ui/table.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { meQuery } from "../../lib/queries.ts";
import { api } from "../../lib/trpc.ts";
import { assignableRoles } from "./members-page.tsx";

interface Member {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: string;
}

type Pending = "remove" | "transfer" | null;

/** One member with the controls the viewer's role allows (the server decides again). */
export function MemberRow({ member }: { member: Member }) {
  const { can, role: myRole } = usePermissions();
  const { data: me } = useQuery(meQuery);
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<Pending>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["members.list"] });
  const closeConfirm = () => {
    setConfirm(null);
    remove.reset();
    transfer.reset();
  };
  const isMe = member.userId === me?.userId;
  // Only an OWNER may act on an OWNER or grant that role (the server refuses anyone else).
  const isOwner = myRole === "OWNER";
  const mayManage = !isMe && (isOwner || !ownerOnlyRoles.includes(member.role as Role));

  const updateRole = useMutation({
    mutationFn: (role: string) =>
      api.members.updateRole.mutate({ memberId: member.id, role: role as Role }),
    onSuccess: () => {
      toast.success(`${member.email} is now ${updateRole.variables?.toLowerCase()}`);
      return refresh();
    },
    onError: refresh,
  });
  const remove = useMutation({
    mutationFn: () => api.members.remove.mutate({ memberId: member.id }),
    meta: { inlineError: true },
    onSuccess: () => {
      toast.success(`Removed ${member.email}`);
      setConfirm(null);
      return refresh();
    },
  });
  const transfer = useMutation({
    mutationFn: () => api.orgs.transferOwnership.mutate({ memberId: member.id }),
    meta: { inlineError: true },
    onSuccess: () => {
      toast.success(`${member.email} now owns the organization`);
      setConfirm(null);
      return queryClient.resetQueries(); // the viewer's own role changed too
    },
  });

  return (
    <tr>
      <Cell>
        {member.name}
        {isMe && <span className="ml-2 text-xs text-slate-500">(you)</span>}
      </Cell>
      <Cell>{member.email}</Cell>
      <Cell>
        {can("member:update_role") && mayManage ? (
          <SelectField
            label={`Role of ${member.email}`}
            hideLabel
            value={member.role}
            disabled={updateRole.isPending}
            onChange={(e) => updateRole.mutate(e.target.value)}
            options={assignableRoles(myRole)}
          />
        ) : (
          member.role.toLowerCase()
        )}
      </Cell>
      <Cell>
        <div className="flex gap-2">
          {can("member:remove") && mayManage && (
            <Button
              variant="ghost"
              aria-label={`Remove ${member.email}`}
              onClick={() => setConfirm("remove")}
            >
              Remove
            </Button>
          )}
          {can("org:transfer") && !isMe && (
            <Button
              variant="ghost"
              aria-label={`Make ${member.email} owner`}
              onClick={() => setConfirm("transfer")}
            >
              Make owner
            </Button>
          )}
        </div>
        <ConfirmDialog
          open={confirm === "remove"}
          onOpenChange={(open) => !open && closeConfirm()}
          title={`Remove ${member.email}?`}
          description="They lose access to this organization at once."
          confirmLabel="Remove"
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
        />
        <ConfirmDialog
          open={confirm === "transfer"}
          onOpenChange={(open) => !open && closeConfirm()}
          title={`Transfer ownership to ${member.email}?`}
          description="They become the owner; you stay a member with the admin role."
          confirmLabel="Transfer ownership"
          pending={transfer.isPending}
          error={transfer.error}
          onConfirm={() => transfer.mutate()}
        />
      </Cell>
    </tr>
  );
}
