import { savingsAccuracySuite } from '../helpers/savings-accuracy-suite.js';

// All ten buildings of the shared data set beside the checkout; `npm run test:shared` runs it.
savingsAccuracySuite('savings accuracy on the ten Cambridge buildings (../shared)', {
  root: '../shared/data/cambridge-estates',
  buildings: ['b0', 'b112', 'b19', 'b2', 'b21', 'b4', 'b40', 'b52', 'b57', 'b8'],
  changed: ['b52', 'b57'],
  otherFlaggedAtMost: 1,
  maxHalfWidth: { empirical: 0.2, randomized: 0.06 },
});
