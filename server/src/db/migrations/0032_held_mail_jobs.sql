-- E-mail out off is a normal mode, not a failure (issue 12 #9): mails parked as dead because
-- FIREBREAK_SMTP_URL was not set become held, so Failed work no longer lists them; an admin
-- sends them from there once e-mail out is on. Only that exact reason moves: real failures stay.
UPDATE "jobs" SET "state" = 'held', "last_error" = 'not sent: e-mail out was off'
WHERE "state" = 'dead'
  AND "kind" IN ('notification.deliver', 'notification.digest')
  AND "last_error" = 'not sent: e-mail out is off (set FIREBREAK_SMTP_URL to send e-mail)';
