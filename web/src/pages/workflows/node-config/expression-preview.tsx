import { useMutation } from "@tanstack/react-query";
import { Button } from "../../../components/ui/button.tsx";
import { errorMessage } from "../../../lib/errors.ts";
import { api } from "../../../lib/trpc.ts";
import { useParamForm } from "./field-shell.tsx";

const shown = (value: unknown) =>
  value === undefined ? "(no value)" : JSON.stringify(value, null, 2);

/**
 * Evaluates a field's text against the workflow's latest execution (the data this node saw
 * there) on request; the result or the expression's error is shown under the field.
 */
export function ExpressionPreview({ fieldId, template }: { fieldId: string; template: string }) {
  const { workflowId, nodeId } = useParamForm();
  const preview = useMutation({
    meta: { inlineError: true },
    mutationFn: (text: string) =>
      api.workflows.previewExpression.mutate({ workflowId, nodeId, template: text }),
  });
  // a result for other text than the field's now is stale, and not shown
  const fresh = preview.variables === template;
  const current = fresh ? preview.data : undefined;
  const failure = fresh ? preview.error : null;
  return (
    <div className="space-y-1">
      <Button
        variant="ghost"
        className="px-1 py-0.5 text-xs text-indigo-700"
        pending={preview.isPending}
        onClick={() => preview.mutate(template)}
        aria-describedby={`${fieldId}-label`}
      >
        Preview
      </Button>
      {(current || failure) && (
        <output
          aria-describedby={`${fieldId}-label`}
          aria-live="polite"
          className="block rounded-md border border-slate-200 bg-slate-50 p-2 text-xs"
        >
          {failure ? (
            <span className="text-red-700">{errorMessage(failure)}</span>
          ) : current && "error" in current ? (
            <span className="text-red-700">{current.error}</span>
          ) : (
            current && (
              <>
                <pre className="max-h-48 overflow-auto whitespace-pre-wrap break-all font-mono text-slate-900">
                  {shown(current.value)}
                </pre>
                <span className="text-slate-500">
                  From the latest execution (version {current.source.version},{" "}
                  {current.source.status}, {new Date(current.source.createdAt).toLocaleString()})
                </span>
              </>
            )
          )}
        </output>
      )}
    </div>
  );
}
