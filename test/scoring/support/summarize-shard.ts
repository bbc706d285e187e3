/**
 * Worker thread for the shard test: summarizes the transactions it is given and posts
 * the summary's state back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildTransactionSummary, type Transaction } from '../../../src/scoring/index';

const { transactions } = workerData as { transactions: Transaction[] };
const state = buildTransactionSummary(transactions, { calibrationEnd: '1997-09-30' }).toState();
parentPort!.postMessage(state, [state.slots]);
