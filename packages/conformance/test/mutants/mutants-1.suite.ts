import { describeMutants } from './mutants.js';

describeMutants(1);
