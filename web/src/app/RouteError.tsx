import { useRouteError } from 'react-router';
import { humanMessage } from '../api/client';

export function RouteError() {
  const error = useRouteError();
  return (
    <main className="main">
      <div className="banner banner-danger" role="alert">
        <div>
          <strong className="banner-title">This page could not be shown</strong>
          <p>{humanMessage(error)}</p>
          <p>
            <a href="/">Go to the start page</a> or reload.
          </p>
        </div>
      </div>
    </main>
  );
}
