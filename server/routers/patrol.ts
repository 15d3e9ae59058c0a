// Patrol analytics (巡防研判) for the /patrol page, the CLI and the wall: dosage per hotspot
// with Koper compliance, 见警率, route coverage and route suggestions. Inputs are checked by
// the services' zod schemas; every analysis is a heavy read (the analysis queue bounds them).
import { z } from 'zod';
import { procedure, router } from '../trpc';
import { DosageInputSchema, patrolDosage } from '../services/patrol/dosage';
import { patrolVisibility, VisibilityInputSchema } from '../services/patrol/visibility';
import { CoverageInputSchema, routeCoverage } from '../services/patrol/coverage';
import { suggestRoute, SuggestInputSchema } from '../services/patrol/suggest';
import { patrolTeams } from '../services/patrol/teams';

const analysis = procedure.meta({ cap: 'data.read', cost: 'heavy' });
const read = procedure.meta({ cap: 'data.read' });

export const patrolRouter = router({
  teams: read.input(z.object({}).optional()).query(({ ctx }) => ctx.read((tx) => patrolTeams(tx))),
  dosage: analysis.input(DosageInputSchema).query(({ ctx, input }) => ctx.read((tx) => patrolDosage(tx, input))),
  visibility: analysis.input(VisibilityInputSchema).query(({ ctx, input }) => ctx.read((tx) => patrolVisibility(tx, input))),
  coverage: analysis.input(CoverageInputSchema).query(({ ctx, input }) => ctx.read((tx) => routeCoverage(tx, input))),
  suggest: analysis.input(SuggestInputSchema).query(({ ctx, input }) => ctx.read((tx) => suggestRoute(tx, input))),
});
