-- A small desk as Firebreak's schema held it at migration 0057 (commit 60c6317, 2026-12-06): the
-- rows scripts/upgrade-fixture.ts loads onto that schema before dumping them into
-- server/src/db/upgrade-fixtures/0057.json. Written against that schema only: never edit it to
-- follow a later migration (the point is data as an older release wrote it).
INSERT INTO users (id, email, name, role, time_zone, organisation, password_hash, created_at, updated_at, email_notifications, notification_preferences, must_change_password) VALUES
  ('00000000-0000-4000-8000-000000000001', 'ada@example.org', 'Ada Admin', 'admin', 'Europe/Paris', 'IT', 'scrypt$16384$8$1$c2FsdA$aGFzaA', '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z', true, '{"assigned":["email"]}', false),
  ('00000000-0000-4000-8000-000000000002', 'mo@example.org', 'Mo Manager', 'manager', 'UTC', 'IT', NULL, '2026-01-05T08:00:00Z', '2026-01-06T09:00:00Z', true, '{}', false),
  ('00000000-0000-4000-8000-000000000003', 'al@example.org', 'Al Agent', 'agent', 'UTC', 'IT', NULL, '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z', false, '{}', true),
  ('00000000-0000-4000-8000-000000000004', 'rae@example.org', 'Rae Requester', 'requester', 'America/New_York', 'Sales', NULL, '2026-01-07T08:00:00Z', '2026-01-07T08:00:00Z', true, '{}', false);
INSERT INTO users (id, email, name, role, active, created_at, updated_at) VALUES
  ('00000000-0000-4000-8000-000000000005', 'gone@example.org', 'Former Agent', 'agent', false, '2025-11-01T08:00:00Z', '2026-02-01T08:00:00Z');

INSERT INTO escalation_policies (id, name, description, levels, repeat, created_at, updated_at) VALUES
  ('00000000-0000-4000-8100-000000000001', 'Network on call', 'Page the network team, then its manager', '[{"afterMinutes":0,"targets":[{"kind":"team","id":"00000000-0000-4000-8200-000000000001"}]},{"afterMinutes":15,"targets":[{"kind":"user","id":"00000000-0000-4000-8000-000000000002"}]}]', 2, '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z');
INSERT INTO teams (id, name, description, manager_id, created_at, escalation_policy_id) VALUES
  ('00000000-0000-4000-8200-000000000001', 'Network', 'LAN, WAN and VPN', '00000000-0000-4000-8000-000000000002', '2026-01-05T08:00:00Z', '00000000-0000-4000-8100-000000000001'),
  ('00000000-0000-4000-8200-000000000002', 'Service Desk', '', NULL, '2026-01-05T08:00:00Z', NULL);
INSERT INTO team_members (team_id, user_id) VALUES
  ('00000000-0000-4000-8200-000000000001', '00000000-0000-4000-8000-000000000003'),
  ('00000000-0000-4000-8200-000000000001', '00000000-0000-4000-8000-000000000002'),
  ('00000000-0000-4000-8200-000000000002', '00000000-0000-4000-8000-000000000003');
INSERT INTO services (id, name, description, parent_id, owner_team_id, created_at, escalation_policy_id, visible_to_requesters, declare_by_policy, on_status_page) VALUES
  ('00000000-0000-4000-8300-000000000001', 'VPN', 'Remote access', NULL, '00000000-0000-4000-8200-000000000001', '2026-01-05T08:00:00Z', '00000000-0000-4000-8100-000000000001', true, false, true),
  ('00000000-0000-4000-8300-000000000002', 'Core firewall', '', '00000000-0000-4000-8300-000000000001', '00000000-0000-4000-8200-000000000001', '2026-01-05T08:00:00Z', NULL, false, true, false);
INSERT INTO service_dependencies (service_id, depends_on_id) VALUES ('00000000-0000-4000-8300-000000000001', '00000000-0000-4000-8300-000000000002');
INSERT INTO categories (id, name, parent_id, default_team_id, created_at) VALUES
  ('00000000-0000-4000-8400-000000000001', 'Access', NULL, '00000000-0000-4000-8200-000000000002', '2026-01-05T08:00:00Z'),
  ('00000000-0000-4000-8400-000000000002', 'VPN login', '00000000-0000-4000-8400-000000000001', '00000000-0000-4000-8200-000000000001', '2026-01-05T08:00:00Z');
INSERT INTO business_calendars (id, name, time_zone, week, holidays, created_at) VALUES
  ('00000000-0000-4000-8500-000000000001', 'Paris office', 'Europe/Paris', '{"mon":[["09:00","18:00"]],"tue":[["09:00","18:00"]],"wed":[["09:00","18:00"]],"thu":[["09:00","18:00"]],"fri":[["09:00","17:00"]]}', '["2026-05-01","2026-12-25"]', '2026-01-05T08:00:00Z');
INSERT INTO sla_policies (id, name, position, active, match, calendar_id, first_response_minutes, resolution_minutes, warn_percent, pause_on_hold_reasons, created_at, breach_escalate_to_team_id, breach_escalate_to_manager) VALUES
  ('00000000-0000-4000-8600-000000000001', 'P1 and P2', 1, true, '{"priorities":[1,2]}', '00000000-0000-4000-8500-000000000001', 15, 240, 80, '["awaiting_requester"]', '2026-01-05T08:00:00Z', '00000000-0000-4000-8200-000000000001', true);
INSERT INTO on_call_schedules (id, name, description, time_zone, layers, created_at, updated_at) VALUES
  ('00000000-0000-4000-8700-000000000001', 'Network weekly', '', 'Europe/Paris', '[{"start":"2026-01-05T08:00:00Z","rotationDays":7,"userIds":["00000000-0000-4000-8000-000000000002","00000000-0000-4000-8000-000000000003"]}]', '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z');
INSERT INTO on_call_overrides (id, schedule_id, user_id, starts_at, ends_at, created_by_id, created_at) VALUES
  ('00000000-0000-4000-8710-000000000001', '00000000-0000-4000-8700-000000000001', '00000000-0000-4000-8000-000000000003', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', '00000000-0000-4000-8000-000000000002', '2026-02-20T10:00:00Z');

-- Tickets: a resolved incident (rated), an open request on hold, a problem the incident is linked to.
INSERT INTO tickets (id, kind, number, title, description, requester_id, reported_by_id, channel, service_id, category_id, subcategory_id, impact, urgency, priority, scope, team_id, assignee_id, state, opened_at, updated_at, version, workaround, known_error_at, root_cause) VALUES
  ('00000000-0000-4000-9000-000000000003', 'problem', 'PRB0000001', 'VPN drops under load', 'Recurring VPN disconnections', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000002', 'portal', '00000000-0000-4000-8300-000000000001', NULL, NULL, 2, 2, 2, 'global', '00000000-0000-4000-8200-000000000001', '00000000-0000-4000-8000-000000000002', 'in_progress', '2026-03-04T09:00:00Z', '2026-03-05T09:00:00Z', 3, 'Reconnect with the backup gateway', '2026-03-05T09:00:00Z', 'Firewall session table full');
INSERT INTO tickets (id, kind, number, title, description, requester_id, reported_by_id, channel, service_id, category_id, subcategory_id, impact, urgency, priority, scope, team_id, assignee_id, state, resolution_code, resolution_notes, opened_at, first_response_at, resolved_at, updated_at, updated_by_id, version, sla_policy_id, sla_due_at, reassignment_count, affected_count, reopen_count, staff_reply_count, business_acknowledge_ms, business_resolve_ms, sla_breached, problem_id) VALUES
  ('00000000-0000-4000-9000-000000000001', 'incident', 'INC0000001', 'VPN down for the Paris office', 'Nobody in Paris can connect since 9:00.', '00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000004', 'email', '00000000-0000-4000-8300-000000000001', '00000000-0000-4000-8400-000000000001', '00000000-0000-4000-8400-000000000002', 1, 2, 2, 'local', '00000000-0000-4000-8200-000000000001', '00000000-0000-4000-8000-000000000003', 'resolved', 'solved_workaround', 'Moved Paris to the backup gateway.', '2026-03-02T09:05:00Z', '2026-03-02T09:12:00Z', '2026-03-02T11:35:00Z', '2026-03-02T11:35:00Z', '00000000-0000-4000-8000-000000000003', 5, '00000000-0000-4000-8600-000000000001', '2026-03-02T13:05:00Z', 1, 12, 0, 2, 420000, 9000000, false, '00000000-0000-4000-9000-000000000003');
INSERT INTO tickets (id, kind, number, title, description, requester_id, reported_by_id, channel, service_id, impact, urgency, priority, scope, team_id, state, on_hold_reason, opened_at, updated_at, version, source_attributes, external_reference) VALUES
  ('00000000-0000-4000-9000-000000000002', 'service_request', 'REQ0000001', 'New VPN certificate', 'Mine expires on Friday — ünïcödé & <b>markup</b> kept as typed', '00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000003', 'phone', '00000000-0000-4000-8300-000000000001', 3, 3, 4, 'local', '00000000-0000-4000-8200-000000000002', 'on_hold', 'awaiting_requester', '2026-03-03T14:00:00Z', '2026-03-03T15:00:00Z', 2, '{"location":"Paris"}', 'SN:REQ0010001');
SELECT setval('ticket_number_incident', 1), setval('ticket_number_service_request', 1), setval('ticket_number_problem', 1);

INSERT INTO timeline_events (ticket_id, type, actor_id, at, internal, body, changes, data) VALUES
  ('00000000-0000-4000-9000-000000000001', 'created', '00000000-0000-4000-8000-000000000004', '2026-03-02T09:05:00Z', false, NULL, NULL, '{"channel":"email"}'),
  ('00000000-0000-4000-9000-000000000001', 'assigned', '00000000-0000-4000-8000-000000000002', '2026-03-02T09:10:00Z', false, NULL, '{"assigneeId":[null,"00000000-0000-4000-8000-000000000003"]}', NULL),
  ('00000000-0000-4000-9000-000000000001', 'comment', '00000000-0000-4000-8000-000000000003', '2026-03-02T09:12:00Z', false, 'Looking at it now.', NULL, NULL),
  ('00000000-0000-4000-9000-000000000001', 'work_note', '00000000-0000-4000-8000-000000000003', '2026-03-02T10:00:00Z', true, 'Firewall session table at 100%.', NULL, NULL),
  ('00000000-0000-4000-9000-000000000001', 'state_changed', '00000000-0000-4000-8000-000000000003', '2026-03-02T11:35:00Z', false, NULL, '{"state":["in_progress","resolved"]}', '{"resolutionCode":"solved_workaround"}'),
  ('00000000-0000-4000-9000-000000000002', 'created', '00000000-0000-4000-8000-000000000003', '2026-03-03T14:00:00Z', false, NULL, NULL, '{"channel":"phone"}'),
  ('00000000-0000-4000-9000-000000000002', 'state_changed', '00000000-0000-4000-8000-000000000003', '2026-03-03T15:00:00Z', false, NULL, '{"state":["new","on_hold"]}', '{"onHoldReason":"awaiting_requester"}'),
  ('00000000-0000-4000-9000-000000000003', 'created', '00000000-0000-4000-8000-000000000002', '2026-03-04T09:00:00Z', false, NULL, NULL, NULL);
INSERT INTO satisfaction_ratings (ticket_id, user_id, rating, comment, answered_at, changed_at) VALUES
  ('00000000-0000-4000-9000-000000000001', '00000000-0000-4000-8000-000000000004', 4, 'Quick, thanks', '2026-03-02T12:00:00Z', '2026-03-02T12:00:00Z');
INSERT INTO ticket_followers (ticket_id, user_id, since) VALUES ('00000000-0000-4000-9000-000000000001', '00000000-0000-4000-8000-000000000002', '2026-03-02T09:06:00Z');
INSERT INTO ticket_affected_people (ticket_id, user_id, via, since) VALUES ('00000000-0000-4000-9000-000000000001', '00000000-0000-4000-8000-000000000004', 'reporter', '2026-03-02T09:05:00Z');
INSERT INTO notifications (id, ticket_id, user_id, channel, address, reason, subject, body_text, created_at, sent_at, read_at) VALUES
  ('00000000-0000-4000-9100-000000000001', '00000000-0000-4000-9000-000000000001', '00000000-0000-4000-8000-000000000003', 'email', 'al@example.org', 'assigned', '[INC0000001] VPN down for the Paris office', 'You were assigned INC0000001.', '2026-03-02T09:10:00Z', '2026-03-02T09:10:05Z', NULL);
INSERT INTO jobs (id, kind, payload, state, run_at, attempts, created_at, last_error, finished_at) VALUES
  ('sla.check:00000000-0000-4000-9000-000000000002', 'sla.check', '{"ticketId":"00000000-0000-4000-9000-000000000002"}', 'pending', '2026-03-03T16:00:00Z', 0, '2026-03-03T14:00:00Z', NULL, NULL),
  ('notification.deliver:00000000-0000-4000-9100-000000000001', 'notification.deliver', '{"notificationId":"00000000-0000-4000-9100-000000000001"}', 'done', '2026-03-02T09:10:00Z', 1, '2026-03-02T09:10:00Z', NULL, '2026-03-02T09:10:05Z');
INSERT INTO settings (key, value, updated_at) VALUES
  ('priority_matrix', '[[1,2,3],[2,3,4],[3,4,5]]', '2026-01-05T08:00:00Z'),
  ('desk_name', '"Acme IT"', '2026-01-05T08:00:00Z');
INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('5e55104a', '00000000-0000-4000-8000-000000000001', '2026-03-02T08:00:00Z', '2026-03-09T08:00:00Z');
INSERT INTO api_tokens (id, name, user_id, token_hash, prefix, scope, created_at) VALUES
  ('00000000-0000-4000-9200-000000000001', 'Monitoring', '00000000-0000-4000-8000-000000000001', 'a0b1c2', 'fbk_a0b1', 'read', '2026-01-10T08:00:00Z');
INSERT INTO webhook_subscriptions (id, name, url, secret, format, event_types, active, created_at) VALUES
  ('00000000-0000-4000-9300-000000000001', 'Chat', 'https://chat.example.org/hook', 'whsec', 'json', '["ticket.created","ticket.resolved"]', true, '2026-01-10T08:00:00Z');
INSERT INTO saved_views (id, user_id, name, queue, filters, created_at) VALUES
  ('00000000-0000-4000-9400-000000000001', '00000000-0000-4000-8000-000000000003', 'My P1s', 'mine', '{"priority":[1]}', '2026-02-01T08:00:00Z');
INSERT INTO kb_articles (id, title, body, audience, state, service_ids, category_ids, source_ticket_id, author_id, created_at, updated_at, published_at, version, helpful_yes, helpful_no, solved_count) VALUES
  ('00000000-0000-4000-9500-000000000001', 'VPN: switch to the backup gateway', 'Open the VPN client and pick **backup**.', 'requesters', 'published', ARRAY['00000000-0000-4000-8300-000000000001']::uuid[], ARRAY['00000000-0000-4000-8400-000000000002']::uuid[], '00000000-0000-4000-9000-000000000001', '00000000-0000-4000-8000-000000000003', '2026-03-02T12:00:00Z', '2026-03-02T12:30:00Z', '2026-03-02T12:30:00Z', 2, 7, 1, 3);
INSERT INTO kb_article_versions (id, article_id, version, title, body, audience, service_ids, category_ids, saved_at, saved_by_id) VALUES
  ('00000000-0000-4000-9510-000000000001', '00000000-0000-4000-9500-000000000001', 1, 'VPN: backup gateway', 'Pick backup.', 'staff', ARRAY['00000000-0000-4000-8300-000000000001']::uuid[], ARRAY[]::uuid[], '2026-03-02T12:00:00Z', '00000000-0000-4000-8000-000000000003');
INSERT INTO canned_replies (id, owner_id, name, body, visibility, set_state, set_team_id, version, created_at, updated_at, updated_by_id) VALUES
  ('00000000-0000-4000-9600-000000000001', NULL, 'Awaiting you', 'Hello {requester.name}, could you tell us more?', 'shared', 'on_hold', NULL, 1, '2026-03-01T08:00:00Z', '2026-03-01T08:00:00Z', '00000000-0000-4000-8000-000000000001');
INSERT INTO routing_models (id, status, format, reason, trained_at) VALUES
  ('00000000-0000-4000-9700-000000000001', 'insufficient_data', 1, 'fewer than 50 resolved tickets', '2026-03-01T03:00:00Z');
