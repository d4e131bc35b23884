import { savingsAccuracySuite } from '../helpers/savings-accuracy-suite.js';

// Four of the Cambridge buildings, committed with the tests (test/fixtures/cambridge-estates/SOURCE.txt):
// the first two by id and the two that really changed. The full set runs in `npm run test:shared`.
savingsAccuracySuite('savings accuracy on four Cambridge buildings (committed fixture)', {
  root: 'test/fixtures/cambridge-estates',
  buildings: ['b0', 'b2', 'b52', 'b57'],
  changed: ['b52', 'b57'],
  otherFlaggedAtMost: 0,
  maxHalfWidth: { empirical: 0.2, randomized: 0.06 },
});
