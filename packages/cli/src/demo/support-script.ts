import type { JsonObject } from '@sessions/core';

/** The agents of the demo's support desk. */
export type DemoAgent = 'triage' | 'billing' | 'technical';

/** One scripted step: who speaks, and the items they add to the shared session. */
export interface DemoStep {
  /** `user` or the agent taking the turn. */
  actor: 'user' | DemoAgent;
  /** What the step stands for, shown in the transcript. */
  caption: string;
  items: JsonObject[];
}

const say = (agent: DemoAgent, text: string): JsonObject => ({ type: 'message', role: 'assistant', agent, content: text });
const user = (text: string): JsonObject => ({ type: 'message', role: 'user', content: text });
const call = (agent: DemoAgent, name: string, callId: string, args: JsonObject): JsonObject => ({
  type: 'function_call',
  agent,
  name,
  callId,
  arguments: JSON.stringify(args),
});
const result = (callId: string, output: JsonObject): JsonObject => ({ type: 'function_call_result', callId, output: { type: 'text', text: JSON.stringify(output) } });

/**
 * A support conversation in the shape agent SDKs store (messages, tool calls and their
 * results): a customer writes to triage, which hands off to billing, then to technical
 * support. Deterministic: no model, no network.
 */
export const SUPPORT_SCRIPT: DemoStep[] = [
  { actor: 'user', caption: 'the customer writes in', items: [user('Hi! I was charged twice for my March invoice, and since yesterday your API returns 500 errors.')] },
  {
    actor: 'triage',
    caption: 'triage reads the history and hands off to billing',
    items: [say('triage', 'Sorry about both! Two issues: a double charge and API errors. Billing first.'), call('triage', 'transfer_to_billing', 'call_1', {}), result('call_1', { assistant: 'billing' })],
  },
  {
    actor: 'billing',
    caption: 'billing looks up the invoice and refunds the duplicate',
    items: [
      call('billing', 'lookup_invoice', 'call_2', { month: '2026-03' }),
      result('call_2', { invoice: 'INV-2026-0342', charges: [{ id: 'ch_81', amount: 49 }, { id: 'ch_82', amount: 49 }] }),
      call('billing', 'refund_charge', 'call_3', { chargeId: 'ch_82' }),
      result('call_3', { refunded: true, amount: 49 }),
      say('billing', 'I refunded the duplicate charge ch_82 ($49.00); it shows on your card within 5 days.'),
    ],
  },
  { actor: 'user', caption: 'the customer follows up', items: [user('Thanks! And the API errors? Request id req_7f3a failed at 09:14 UTC.')] },
  {
    actor: 'billing',
    caption: 'billing hands off to technical support',
    items: [call('billing', 'transfer_to_technical', 'call_4', {}), result('call_4', { assistant: 'technical' })],
  },
  {
    actor: 'technical',
    caption: 'technical support reads the whole history (the request id is in it) and answers',
    items: [
      call('technical', 'search_logs', 'call_5', { requestId: 'req_7f3a' }),
      result('call_5', { status: 500, cause: 'expired API key after rotation', region: 'eu-west-1' }),
      say('technical', 'req_7f3a failed because your API key was rotated. Create a new key under Settings → API keys; errors stop at once.'),
    ],
  },
  { actor: 'user', caption: 'the customer closes the ticket', items: [user('New key works. All good, thank you!')] },
];

/** A second customer's conversations: their own sessions, invisible to the first customer. */
export const SECOND_USER_SESSIONS: { sessionId: string; items: JsonObject[] }[] = [
  { sessionId: 'onboarding', items: [user('How do I invite my team?'), say('triage', 'Settings → Members → Invite. Each member gets an email.')] },
  { sessionId: 'plan-change', items: [user('Can I switch to yearly billing?'), say('billing', 'Yes: Billing → Plan → Yearly. You save two months.')] },
];
