import type { PersonView } from '../domain/people.js';

/**
 * Who is asking. Use cases decide permissions from this alone: a person (in a chat or, later, on the
 * web) is limited by their roles; the operator (the command line on the server) may do everything and
 * is audited as such.
 */
export type Actor = PersonActor | OperatorActor;

export interface PersonActor {
  kind: 'person';
  person: PersonView;
  /** Where the request came from, for the audit log: "telegram:12345", "zalo:ab12…", "web". */
  via: string;
}

export interface OperatorActor {
  kind: 'operator';
  via: 'cli' | 'sandbox' | 'job';
}

export const operator: OperatorActor = { kind: 'operator', via: 'cli' };

export function personActor(person: PersonView, via: string): PersonActor {
  return { kind: 'person', person, via };
}

/** The actor columns of an audit row. */
export function auditActor(actor: Actor): { actorId: number | null; actor: string } {
  return actor.kind === 'person' ? { actorId: actor.person.id, actor: actor.via } : { actorId: null, actor: actor.via };
}

export function personIdOf(actor: Actor): number | null {
  return actor.kind === 'person' ? actor.person.id : null;
}
