import { KpiCatalogue, KpiParams, KpiReportOrCsv, ReportQuery } from '../../../../core/contracts/reports.js';
import { KPI_IDS, KPIS } from '../../../../core/kpis/catalogue.js';
import { getKpiReport } from '../../services/reports.service.js';
import { actorOf } from '../plugins/authentication.js';
import { kpiCsvFileName, kpiReportCsv, presentKpiReport } from '../presenters/reports.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** KPIs and reports (issue 16): managers and admins see every team; agents their own teams. */
export async function reportRoutes(app: Api, deps: RouteDeps): Promise<void> {
  app.get(
    '/api/v1/reports',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'The KPIs there are reports for, each with its one-line definition',
        response: { 200: KpiCatalogue, ...problems(401, 403) },
      },
    },
    async () => ({ items: KPI_IDS.map((kpi) => ({ kpi, ...KPIS[kpi] })) }),
  );

  app.get(
    '/api/v1/reports/:kpi',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'One KPI over a period, with filters; JSON, or CSV with ?format=csv or Accept: text/csv',
        description: `KPIs: ${KPI_IDS.map((k) => `\`${k}\` — ${KPIS[k].definition}`).join(' ')} The period is [from, to), 30 days back from now unless given, at most 731 days. Managers and admins see every team (or the teams named in teamId); agents see the teams they belong to, and naming another team is refused (403).`,
        params: KpiParams,
        querystring: ReportQuery,
        response: { 200: KpiReportOrCsv, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { format, ...filters } = request.query;
      const report = await getKpiReport(deps, actorOf(request), request.params.kpi, filters);
      reply.header('cache-control', 'private, no-store').header('vary', 'accept');
      const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      if (wantsCsv) {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${kpiCsvFileName(report)}"`)
          .send(kpiReportCsv(report));
      }
      return presentKpiReport(report);
    },
  );
}
