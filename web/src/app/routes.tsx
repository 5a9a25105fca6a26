import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate, useParams } from 'react-router';
import { isStaff } from '../../../core/permissions';
import { useMe } from '../api/hooks';
import { ChoosePassword } from '../pages/ChangePassword';
import { SignIn } from '../pages/SignIn';
import { ArticlePage } from '../portal/ArticlePage';
import { HelpArticles } from '../portal/HelpArticles';
import { KnownIssuePage } from '../portal/KnownIssuePage';
import { PortalHome } from '../portal/PortalHome';
import { PortalTicket } from '../portal/PortalTicket';
import { ReportProblem } from '../portal/ReportProblem';
import { RequestSomething } from '../portal/RequestSomething';
import { Loading } from '../ui/kit';
import { useHoldReadiness } from './ReadinessMark';
import { RouteError } from './RouteError';
import { Shell } from './Shell';

// The agent workspace and the admin pages are separate downloads: a requester's phone loads
// only the portal.
const Desk = lazy(() => import('../desk/Desk'));
const DeskTicket = lazy(() => import('../desk/DeskTicket'));
const NewTicket = lazy(() => import('../desk/NewTicket'));
const Search = lazy(() => import('../desk/Search'));
const PageAck = lazy(() => import('../desk/PageAck'));
const Admin = lazy(() => import('../admin/Admin'));
const Settings = lazy(() => import('../pages/Settings'));
const OnCall = lazy(() => import('../oncall/OnCall'));
const Monitoring = lazy(() => import('../monitoring/Monitoring'));
const Dashboard = lazy(() => import('../desk/dashboard/Dashboard'));
const Maintenance = lazy(() => import('../desk/Maintenance'));
const ActionItems = lazy(() => import('../desk/ActionItems'));
const Changes = lazy(() => import('../desk/Changes'));
const NewChange = lazy(() => import('../desk/NewChange'));
const KnowledgeBase = lazy(() => import('../desk/KnowledgeBase'));
const ArticleEditor = lazy(() => import('../desk/ArticleEditor'));
const CannedReplies = lazy(() => import('../desk/CannedReplies'));

function Later({ children }: { children: React.ReactNode }) {
  return <Suspense fallback={<PageCodeLoading />}>{children}</Suspense>;
}

/** While a page's code downloads, it has asked for no data yet: the document is not ready. */
function PageCodeLoading() {
  useHoldReadiness();
  return <Loading what="the page" />;
}

/** `/`: staff land on their queues, everyone else on the portal. */
function Home() {
  const me = useMe();
  if (!me.data) return null;
  return <Navigate to={isStaff(me.data) ? '/desk' : '/portal'} replace />;
}

/** `/tickets/:id` (the links in e-mails): the desk's page for staff, the portal's for requesters. */
function TicketLink() {
  const me = useMe();
  const { id } = useParams();
  if (!me.data) return null;
  return <Navigate to={`${isStaff(me.data) ? '/desk' : '/portal'}/tickets/${id}`} replace />;
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignIn />, errorElement: <RouteError /> },
  { path: '/choose-password', element: <ChoosePassword />, errorElement: <RouteError /> },
  {
    element: <Shell />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <Home /> },
      { path: '/tickets/:id', element: <TicketLink /> },
      { path: '/portal', element: <PortalHome /> },
      { path: '/portal/report', element: <ReportProblem /> },
      { path: '/portal/request', element: <RequestSomething /> },
      { path: '/portal/tickets/:id', element: <PortalTicket /> },
      { path: '/portal/known-issues/:id', element: <KnownIssuePage /> },
      { path: '/portal/articles', element: <HelpArticles /> },
      { path: '/portal/articles/:id', element: <ArticlePage /> },
      {
        path: '/desk/knowledge',
        element: (
          <Later>
            <KnowledgeBase />
          </Later>
        ),
      },
      {
        path: '/desk/knowledge/new',
        element: (
          <Later>
            <ArticleEditor />
          </Later>
        ),
      },
      {
        path: '/desk/knowledge/:id',
        element: (
          <Later>
            <ArticleEditor />
          </Later>
        ),
      },
      {
        path: '/settings',
        element: (
          <Later>
            <Settings />
          </Later>
        ),
      },
      { path: '/desk', element: <Navigate to="/desk/queue/unassigned" replace /> },
      {
        path: '/desk/dashboard',
        element: (
          <Later>
            <Dashboard />
          </Later>
        ),
      },
      {
        path: '/desk/action-items',
        element: (
          <Later>
            <ActionItems />
          </Later>
        ),
      },
      {
        path: '/desk/changes',
        element: (
          <Later>
            <Changes />
          </Later>
        ),
      },
      {
        path: '/desk/changes/new',
        element: (
          <Later>
            <NewChange />
          </Later>
        ),
      },
      {
        path: '/desk/queue/:queue',
        element: (
          <Later>
            <Desk />
          </Later>
        ),
      },
      {
        path: '/desk/new',
        element: (
          <Later>
            <NewTicket />
          </Later>
        ),
      },
      {
        path: '/desk/search',
        element: (
          <Later>
            <Search />
          </Later>
        ),
      },
      {
        path: '/desk/pages/:pageId',
        element: (
          <Later>
            <PageAck />
          </Later>
        ),
      },
      {
        path: '/desk/maintenance',
        element: (
          <Later>
            <Maintenance />
          </Later>
        ),
      },
      {
        path: '/desk/canned-replies',
        element: (
          <Later>
            <CannedReplies />
          </Later>
        ),
      },
      {
        path: '/desk/tickets/:id',
        element: (
          <Later>
            <DeskTicket />
          </Later>
        ),
      },
      {
        path: '/monitoring',
        element: (
          <Later>
            <Monitoring />
          </Later>
        ),
      },
      {
        path: '/on-call',
        element: (
          <Later>
            <OnCall />
          </Later>
        ),
      },
      { path: '/admin', element: <Navigate to="/admin/users" replace /> },
      {
        path: '/admin/:section',
        element: (
          <Later>
            <Admin />
          </Later>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

function NotFound() {
  return (
    <div className="empty">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/">Go to the start page</a>.
      </p>
    </div>
  );
}
