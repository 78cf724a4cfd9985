// data.ts — reference data most screens need (teams, workflows, users),
// fetched once per session and refreshed after an administrator changes
// it, so a list of cases does not re-fetch them for every row.
import { get, type List, type Team, type User, type Workflow } from './api';

let teams: Promise<Team[]> | null = null;
let workflows: Promise<Workflow[]> | null = null;
let users: Promise<User[]> | null = null;

export function loadTeams(): Promise<Team[]> {
  teams ??= get<List<Team>>('/teams?limit=200').then((l) => l.items);
  return teams;
}

export function loadWorkflows(): Promise<Workflow[]> {
  workflows ??= get<List<Workflow>>('/workflows').then((l) => l.items);
  return workflows;
}

// Users may be hidden from some callers; then names fall back to ids.
export function loadUsers(): Promise<User[]> {
  users ??= get<List<User>>('/users?limit=200').then((l) => l.items, () => []);
  return users;
}

export function forget(): void {
  teams = workflows = users = null;
}

export function workflowOf(all: Workflow[], kind: string): Workflow | undefined {
  return all.find((w) => w.kinds.includes(kind));
}

export function teamName(all: Team[], id: number | null): string {
  const team = all.find((x) => x.id === id);
  return team ? team.name : id === null ? '' : '#' + id;
}

export function userName(all: User[], id: number | null): string {
  const u = all.find((x) => x.id === id);
  return u ? u.display_name || u.username : id === null ? '' : '#' + id;
}
