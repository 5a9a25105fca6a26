import { useEffect, useState } from 'react';
import * as catalogApi from '../api/endpoints/catalog';
import { usePriorityMatrix } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { PriorityMatrixT } from '../api/types';
import { Banner, Button, Loading, PageHeader } from '../ui/kit';
import { IMPACT_LABEL, URGENCY_LABEL } from '../ui/labels';
import { ErrorNote } from './ErrorNote';

/** Priority = matrix[impact][urgency]. New tickets, and tickets whose impact or urgency change, use it. */
export function PriorityMatrixAdmin() {
  const current = usePriorityMatrix();
  const save = useApiMutation({ mutationFn: catalogApi.setPriorityMatrix, invalidates: [keys.priorityMatrix] });
  const [matrix, setMatrix] = useState<number[][] | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data && !matrix) setMatrix(current.data.matrix.map((r) => [...r]));
  }, [current.data, matrix]);
  if (!matrix) return <Loading what="the priority matrix" />;
  const set = (i: number, u: number, value: number) => {
    setSaved(false);
    setMatrix(matrix.map((row, ri) => row.map((v, ui) => (ri === i && ui === u ? value : v))));
  };
  return (
    <div className="stack">
      <PageHeader title="Priority matrix" />
      <p className="muted">
        Each ticket’s priority comes from who is affected (impact) and whether they can work (urgency). Existing tickets keep theirs until
        their impact or urgency changes.
      </p>
      {saved && <Banner tone="success">Saved. New tickets get their priority from this matrix.</Banner>}
      <ErrorNote error={save.error} />
      <form
        className="card"
        onSubmit={async (e) => {
          e.preventDefault();
          // Three rows of three priorities, as the table below holds them.
          if (await save.run({ matrix: matrix as PriorityMatrixT['matrix'] })) setSaved(true);
        }}
      >
        <table className="matrix">
          <caption className="visually-hidden">Priority by impact (rows) and urgency (columns)</caption>
          <thead>
            <tr>
              <th scope="col">Impact ↓ / Urgency →</th>
              {[1, 2, 3].map((u) => (
                <th key={u} scope="col">
                  {URGENCY_LABEL[u]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[1, 2, 3].map((i) => (
              <tr key={i}>
                <th scope="row">{IMPACT_LABEL[i]}</th>
                {[1, 2, 3].map((u) => (
                  <td key={u}>
                    <label className="visually-hidden" htmlFor={`m-${i}-${u}`}>
                      Priority for impact {IMPACT_LABEL[i]} and urgency {URGENCY_LABEL[u]}
                    </label>
                    <select id={`m-${i}-${u}`} value={matrix[i - 1][u - 1]} onChange={(e) => set(i - 1, u - 1, Number(e.target.value))}>
                      {[1, 2, 3, 4, 5].map((p) => (
                        <option key={p} value={p}>
                          P{p}
                        </option>
                      ))}
                    </select>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-actions">
          <Button tone="primary" type="submit" busy={save.busy}>
            Save matrix
          </Button>
        </div>
      </form>
    </div>
  );
}
