import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  type AssetLevel,
  type AssetType,
  assetLevels,
  rolesWithoutGrants,
} from "../../../../src/access/statements.ts";
import { api } from "../../lib/trpc.ts";
import { Button } from "../ui/button.tsx";
import { SelectField } from "../ui/field.tsx";
import { ErrorState, FormError, Spinner } from "../ui/states.tsx";
import { Cell, Table } from "../ui/table.tsx";
import { toast } from "../ui/toast.tsx";

type Level = AssetLevel;
const modeOptions = [
  { value: "restricted", label: "Restricted: only members granted access" },
  { value: "shared", label: "Shared: every member, at the default level" },
];
/** The list that shows each asset type's sharing badge, refreshed after a change. */
const listQueryKeys: Record<AssetType, string> = {
  workflow: "workflows.list",
  credential: "credentials.list",
};

/**
 * Who may do what with one shared asset (a workflow or a credential): its sharing mode, and
 * grants per member at the levels the asset type has (src/access/statements.ts).
 */
export function SharingPanel({
  assetType,
  assetId,
  onClose,
}: {
  assetType: AssetType;
  assetId: string;
  onClose: () => void;
}) {
  const asset = { assetType, assetId };
  const levels = Object.keys(assetLevels[assetType]) as Level[];
  const levelOptions = levels.map((value) => ({ value, label: value }));
  const queryClient = useQueryClient();
  const sharingKey = ["sharing.get", assetType, assetId];
  const sharing = useQuery({
    queryKey: sharingKey,
    queryFn: () => api.sharing.get.query(asset),
  });
  const members = useQuery({
    queryKey: ["members.list"],
    queryFn: () => api.members.list.query().then((page) => page.items),
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: sharingKey }),
      queryClient.invalidateQueries({ queryKey: [listQueryKeys[assetType]] }),
    ]);

  const [mode, setMode] = useState<"shared" | "restricted" | null>(null);
  const [defaultLevel, setDefaultLevel] = useState<Level | null>(null);
  const setSharing = useMutation({
    meta: { inlineError: true },
    mutationFn: () =>
      api.sharing.setMode.mutate({
        ...asset,
        mode: mode ?? sharing.data?.mode ?? "restricted",
        defaultLevel: defaultLevel ?? (sharing.data?.defaultLevel as Level) ?? levels[0],
      }),
    onSuccess: () => {
      toast.success("Sharing saved");
      return refresh();
    },
  });

  const [memberId, setMemberId] = useState("");
  const [level, setLevel] = useState<Level>(levels[0] as Level);
  const grant = useMutation({
    meta: { inlineError: true },
    mutationFn: (input: { memberId: string; level: Level }) =>
      api.sharing.grant.mutate({ ...asset, ...input }),
    onSuccess: () => {
      toast.success("Access granted");
      setMemberId("");
      return refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (member: string) => api.sharing.revoke.mutate({ ...asset, memberId: member }),
    onSuccess: () => {
      toast.success("Access revoked");
      return refresh();
    },
  });

  if (sharing.isPending) return <Spinner />;
  if (sharing.isError)
    return <ErrorState error={sharing.error} onRetry={() => sharing.refetch()} />;
  const granted = new Set(sharing.data.grants.map((g) => g.memberId));
  const grantable = (members.data ?? []).filter(
    (m) => !granted.has(m.id) && !rolesWithoutGrants.includes(m.role as never),
  );
  const emailOf = (id: string) => members.data?.find((m) => m.id === id)?.email;

  return (
    <div className="space-y-5">
      <form
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          setSharing.mutate();
        }}
      >
        <SelectField
          label="Sharing"
          value={mode ?? sharing.data.mode}
          onChange={(e) => setMode(e.target.value as "shared" | "restricted")}
          options={modeOptions}
        />
        <SelectField
          label="Default level"
          value={defaultLevel ?? sharing.data.defaultLevel}
          onChange={(e) => setDefaultLevel(e.target.value as Level)}
          options={levelOptions}
        />
        <FormError error={setSharing.error} />
        <Button type="submit" variant="secondary" pending={setSharing.isPending}>
          Save sharing
        </Button>
      </form>

      <section className="space-y-2">
        <h3 className="text-sm font-medium text-slate-700">Members with access</h3>
        {sharing.data.grants.length === 0 ? (
          <p className="text-sm text-slate-500">Nobody has been granted access yet.</p>
        ) : (
          <Table caption="Members with access" head={["Member", "Level", ""]}>
            {sharing.data.grants.map((g) => {
              const who = emailOf(g.memberId) ?? g.name;
              return (
                <tr key={g.memberId}>
                  <Cell>{who}</Cell>
                  <Cell>
                    <select
                      aria-label={`Level of ${who}`}
                      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                      value={g.level}
                      disabled={grant.isPending}
                      onChange={(e) =>
                        grant.mutate({ memberId: g.memberId, level: e.target.value as Level })
                      }
                    >
                      {levelOptions.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  </Cell>
                  <Cell>
                    <Button
                      variant="ghost"
                      aria-label={`Revoke access of ${who}`}
                      pending={revoke.isPending && revoke.variables === g.memberId}
                      onClick={() => revoke.mutate(g.memberId)}
                    >
                      Revoke
                    </Button>
                  </Cell>
                </tr>
              );
            })}
          </Table>
        )}
      </section>

      <form
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          grant.mutate({ memberId, level });
        }}
      >
        <h3 className="text-sm font-medium text-slate-700">Grant access</h3>
        {members.isError && <ErrorState error={members.error} />}
        <div className="flex flex-wrap items-end gap-2">
          <SelectField
            label="Member"
            required
            value={memberId}
            onChange={(e) => setMemberId(e.target.value)}
            options={[
              { value: "", label: grantable.length ? "Choose a member…" : "No other members" },
              ...grantable.map((m) => ({ value: m.id, label: `${m.name} (${m.email})` })),
            ]}
          />
          <SelectField
            label="Level"
            value={level}
            onChange={(e) => setLevel(e.target.value as Level)}
            options={levelOptions}
          />
          <Button type="submit" pending={grant.isPending} disabled={!memberId}>
            Grant access
          </Button>
        </div>
        <FormError error={grant.error} />
      </form>
      <div className="flex justify-end">
        <Button variant="secondary" onClick={onClose}>
          Done
        </Button>
      </div>
    </div>
  );
}
