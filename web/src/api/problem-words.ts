/**
 * Problem details (RFC 9457) as a person reads them. The API's `detail` is written for
 * programmers ("The body has an invalid field: title must not be empty"); the UI says
 * "Title: must not be empty", naming the field by its label, and a missing record says that it
 * may exist but not for you (the server answers the same for both, on purpose).
 */

/** Labels of the API's field names, as forms show them. */
const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  serviceId: 'Service',
  categoryId: 'Category',
  subcategoryId: 'Subcategory',
  impact: 'Impact',
  urgency: 'Urgency',
  priority: 'Priority',
  priorityOverride: 'Priority override',
  teamId: 'Team',
  assigneeId: 'Assignee',
  requesterId: 'Requester',
  onHoldReason: 'On-hold reason',
  resolutionCode: 'Resolution',
  resolutionNotes: 'Resolution notes',
  slaPolicyId: 'SLA policy',
  email: 'E-mail',
  name: 'Name',
  password: 'Password',
  newPassword: 'New password',
  currentPassword: 'Current password',
  timeZone: 'Time zone',
  body: 'Message',
  channel: 'Channel',
  role: 'Role',
  url: 'Address',
  q: 'Search',
  // Changes (issue 17): the rest of their fields read well as they are ("plannedEnd" → "Planned end").
  approverIds: 'Approvers',
  linkedTicketIds: 'Linked problems and incidents',
};

/** A field path of the API ("priorityOverride.reason", "members.2") as a label ("Priority override, reason"). */
export function fieldLabel(path: string): string {
  const parts = path.split('.').filter((p) => p !== '' && !/^\d+$/.test(p));
  if (parts.length === 0) return 'This form';
  const words = parts.map((p, i) => {
    const known = FIELD_LABELS[p];
    const text =
      known ??
      p
        .replace(/Id$/, '')
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase();
    return i === 0 ? text.charAt(0).toUpperCase() + text.slice(1) : text.toLowerCase();
  });
  return words.join(', ');
}

/** "not found" from the API, said as what it means to the person. */
const NOT_FOUND = /^(?:the )?(.+?) not found\.?$/i;

export interface ProblemLike {
  status: number;
  detail: string;
  fieldErrors: { field: string; message: string }[];
}

/** The message to show for a problem answer. */
export function problemText(problem: ProblemLike): string {
  if (problem.fieldErrors.length > 0) {
    return problem.fieldErrors.map((e) => `${fieldLabel(e.field)}: ${e.message}`).join('; ');
  }
  const missing = problem.status === 404 ? NOT_FOUND.exec(problem.detail.trim()) : null;
  if (missing) return `This ${missing[1].toLowerCase()} does not exist or you may not see it.`;
  return problem.detail;
}
