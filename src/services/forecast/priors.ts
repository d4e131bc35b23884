/**
 * Cold-start priors per space type, shipped as data under models/priors/ and imported statically
 * (validated once at load), so the service and its worker need no file access to use them.
 */
import clubhouse from '../../../models/priors/clubhouse.json' with { type: 'json' };
import corridor from '../../../models/priors/corridor.json' with { type: 'json' };
import elevatorHall from '../../../models/priors/elevator-hall.json' with { type: 'json' };
import garage from '../../../models/priors/garage.json' with { type: 'json' };
import gym from '../../../models/priors/gym.json' with { type: 'json' };
import lobby from '../../../models/priors/lobby.json' with { type: 'json' };
import other from '../../../models/priors/other.json' with { type: 'json' };
import stairwell from '../../../models/priors/stairwell.json' with { type: 'json' };
import type { SpaceType } from '../../domain/energy.js';
import { parsePrior, type SpacePrior } from '../../domain/forecast/prior.js';

const RAW: Record<SpaceType, unknown> = {
  lobby,
  corridor,
  'elevator-hall': elevatorHall,
  garage,
  gym,
  clubhouse,
  stairwell,
  other,
};

let cache: Map<SpaceType, SpacePrior> | undefined;

/** The prior of a space type (every type ships one; see models/README.md). */
export function priorFor(type: SpaceType): SpacePrior {
  cache ??= new Map(Object.entries(RAW).map(([t, raw]) => [t as SpaceType, parsePrior(raw)]));
  const prior = cache.get(type);
  if (!prior) throw new Error(`no cold-start prior for space type ${JSON.stringify(type)}`);
  return prior;
}
