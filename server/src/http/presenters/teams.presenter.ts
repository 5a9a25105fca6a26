import type { z } from 'zod';
import type { Team } from '../../../../core/contracts/directory.js';
import type { TeamWithMembers } from '../../services/teams.service.js';

export function presentTeam(t: TeamWithMembers): z.input<typeof Team> {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    managerId: t.managerId,
    memberIds: t.memberIds,
    assignmentStrategy: t.assignmentStrategy,
    assignmentCap: t.assignmentCap,
    shiftScheduleId: t.shiftScheduleId,
    workingHoursCalendarId: t.workingHoursCalendarId,
    createdAt: t.createdAt.toISOString(),
  };
}
