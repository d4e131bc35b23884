import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COMMAND_ACTIONS, CommandEnvelope, CommandTarget } from '../../../domain/commands/envelope.js';
import { SPACE_MODES } from '../../../domain/control/space-mode.js';
import { assertSite, requireOperator } from '../auth/guard.js';
import type { HttpDeps } from '../deps.js';
import { HttpError } from '../errors.js';

const CommandBody = z
  .object({
    action: z.enum(COMMAND_ACTIONS),
    target: CommandTarget.default({}),
    mode: z.enum(SPACE_MODES).optional(),
  })
  .strict();

const STATUS_CODE = { done: 200, accepted: 202, refused: 409 } as const;

export function commandRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .post(
      '/api/v1/commands',
      { preHandler: requireOperator, schema: { body: CommandBody } },
      async (request, reply) => {
        const body = request.body;
        const identity = request.identity;
        if (!identity) throw new HttpError('QW_HTTP_UNAUTHENTICATED', 'sign in first');
        const siteId = body.target.siteId;
        if (siteId !== undefined) assertSite(request, siteId);
        // A scoped operator may act on its sites only: a command for every site needs an unscoped token.
        else if (identity.sites !== null)
          throw new HttpError(
            'QW_HTTP_FORBIDDEN',
            `token "${identity.name}" is scoped to sites; name target.siteId`,
          );
        const parsed = CommandEnvelope.safeParse({
          id: randomUUID(),
          action: body.action,
          target: body.target,
          ...(body.mode === undefined ? {} : { mode: body.mode }),
          issuer: identity.name,
          issuedAt: new Date(deps.clock.now()).toISOString(),
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const path = issue?.path.join('.') ?? '';
          throw new HttpError('QW_HTTP_BAD_QUERY', `body field "${path}": ${issue?.message ?? 'invalid'}`);
        }
        const response = await deps.commands.execute(parsed.data);
        return reply.code(STATUS_CODE[response.status]).send(response);
      },
    );
}
