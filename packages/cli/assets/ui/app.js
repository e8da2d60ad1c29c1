// The inspector page: users → sessions → transcript, live. Plain ES modules over the
// inspector's JSON API; no framework, no build step.
import { el, renderMessage } from './render.js';

const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = (id) => document.getElementById(id);
const state = { readOnly: true, user: null, session: null, usersAfter: null, sessionsCursor: null, oldestSeq: null, lastSeq: 0, events: null };

/** Calls the API; a failure shows what went wrong and what to do, then rethrows. */
async function api(path, init = {}) {
  const response = await fetch(`api/${path}`, { ...init, headers: { 'x-sessions-token': token, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const body = await response.json().catch(() => ({ error: { message: `the inspector answered ${response.status}`, hint: 'Reload the page.' } }));
  if (!response.ok) {
    showProblem(body.error ?? { message: `the inspector answered ${response.status}`, hint: 'Reload the page.' });
    throw new Error(body.error?.message ?? String(response.status));
  }
  return body;
}

function showProblem({ message, hint }) {
  $('problem-message').textContent = message;
  $('problem-hint').textContent = hint ?? '';
  $('problem').hidden = false;
}

const enc = encodeURIComponent;
const sessionPath = () => `users/${enc(state.user)}/sessions/${enc(state.session)}`;

function link(text, meta, onClick) {
  const li = el('li');
  const a = el('a', '', text);
  a.href = '#';
  if (meta) a.append(el('span', 'meta', meta));
  a.addEventListener('click', (event) => {
    event.preventDefault();
    onClick(a);
  });
  li.append(a);
  return li;
}

function select(listId, anchor) {
  for (const a of $(listId).querySelectorAll('a.selected')) a.classList.remove('selected');
  anchor?.classList.add('selected');
}

async function loadUsers({ append = false, search = null } = {}) {
  const params = new URLSearchParams();
  if (append && state.usersAfter) params.set('after', state.usersAfter);
  if (search) params.set('search', search);
  const { users, more } = await api(`users?${params}`);
  if (!append) $('users').replaceChildren();
  for (const user of users) $('users').append(link(user, null, (a) => openUser(user, a)));
  if (users.length === 0 && !append) $('users').append(el('li', 'muted', search ? `No user ${search} with a live session.` : 'No sessions in this store yet.'));
  state.usersAfter = users.at(-1) ?? null;
  $('users-more').hidden = !more;
}

async function openUser(user, anchor) {
  select('users', anchor);
  state.user = user;
  state.sessionsCursor = null;
  $('sessions-title').textContent = `Sessions of ${user}`;
  $('session-search').hidden = false;
  await loadSessions();
}

async function loadSessions({ append = false, search = null } = {}) {
  const params = new URLSearchParams();
  if (append && state.sessionsCursor) params.set('cursor', state.sessionsCursor);
  if (search) params.set('search', search);
  const { sessions, nextCursor } = await api(`users/${enc(state.user)}/sessions?${params}`);
  if (!append) $('sessions').replaceChildren();
  for (const session of sessions) {
    const meta = `${session.messageCount} messages · updated ${new Date(session.updatedAt).toLocaleString()}${session.expiresAt ? ` · expires ${new Date(session.expiresAt).toLocaleString()}` : ''}`;
    $('sessions').append(link(session.id, meta, (a) => openSession(session.id, a)));
  }
  if (sessions.length === 0 && !append) $('sessions').append(el('li', 'muted', search ? `No session ${search}.` : 'No live sessions.'));
  state.sessionsCursor = nextCursor;
  $('sessions-more').hidden = nextCursor === null;
}

function showFacts(session) {
  $('session-title').textContent = session.id;
  const facts = $('session-facts');
  facts.replaceChildren();
  const rows = [
    ['user', session.userId],
    ['messages', `${session.messageCount} (last seq ${session.lastSeq})`],
    ['created', new Date(session.createdAt).toLocaleString()],
    ['updated', new Date(session.updatedAt).toLocaleString()],
    ['expires', session.expiresAt ? new Date(session.expiresAt).toLocaleString() : 'never'],
    ['metadata', JSON.stringify(session.metadata)],
  ];
  for (const [name, value] of rows) facts.append(el('dt', '', name), el('dd', `fact-${name}`, value));
  $('metadata-text').value = JSON.stringify(session.metadata, null, 2);
}

const renderOptions = () => ({ readOnly: state.readOnly, onFork: forkAt });

async function openSession(sessionId, anchor) {
  select('sessions', anchor);
  state.session = sessionId;
  state.events?.close();
  const { session, messages, more } = await api(sessionPath());
  $('session-head').hidden = false;
  $('empty').hidden = true;
  $('metadata-form').hidden = true;
  showFacts(session);
  $('export').href = `api/${sessionPath()}/export?token=${enc(token)}`;
  $('messages').replaceChildren(...messages.map((m) => renderMessage(m, renderOptions())));
  state.oldestSeq = messages[0]?.seq ?? null;
  state.lastSeq = messages.at(-1)?.seq ?? session.lastSeq;
  $('older').hidden = !more;
  follow();
}

/** Follows the open session: new messages appear as they are stored, by any writer. */
function follow() {
  const source = new EventSource(`api/${sessionPath()}/events?afterSeq=${state.lastSeq}&token=${enc(token)}`);
  state.events = source;
  source.addEventListener('open', () => $('live').classList.add('on'));
  source.addEventListener('error', () => $('live').classList.remove('on'));
  source.addEventListener('appended', (event) => {
    const { messages } = JSON.parse(event.data);
    for (const message of messages) {
      if (message.seq <= state.lastSeq) continue;
      $('messages').append(renderMessage(message, renderOptions()));
      state.lastSeq = message.seq;
    }
  });
  source.addEventListener('changed', (event) => {
    // A pop, clear, trim, rewrite or update: show the session as it is now.
    const { session } = JSON.parse(event.data);
    showFacts(session);
    reloadTranscript();
  });
  source.addEventListener('deleted', () => {
    showProblem({ message: `Session ${state.session} was deleted (or expired).`, hint: 'Pick another session.' });
    $('messages').replaceChildren();
  });
  source.addEventListener('failed', (event) => {
    showProblem(JSON.parse(event.data));
    source.close();
  });
}

async function reloadTranscript() {
  const { messages, more } = await api(sessionPath());
  $('messages').replaceChildren(...messages.map((m) => renderMessage(m, renderOptions())));
  state.oldestSeq = messages[0]?.seq ?? null;
  state.lastSeq = Math.max(state.lastSeq, messages.at(-1)?.seq ?? 0);
  $('older').hidden = !more;
}

async function loadOlder() {
  if (state.oldestSeq === null) return;
  const { messages, more } = await api(`${sessionPath()}?beforeSeq=${state.oldestSeq}`);
  $('messages').prepend(...messages.map((m) => renderMessage(m, renderOptions())));
  state.oldestSeq = messages[0]?.seq ?? state.oldestSeq;
  $('older').hidden = !more;
}

async function forkAt(seq) {
  const newSessionId = prompt(`Fork ${state.session} up to message #${seq} into a new session with the id (leave empty for a generated one):`, '');
  if (newSessionId === null) return;
  const { session } = await api(`${sessionPath()}/fork`, { method: 'POST', body: JSON.stringify({ uptoSeq: seq, newSessionId }) });
  await loadSessions();
  const anchor = [...$('sessions').querySelectorAll('a')].find((a) => a.firstChild?.textContent === session.id);
  await openSession(session.id, anchor);
}

async function deleteSession() {
  if (!confirm(`Delete session ${state.session} of ${state.user} and all its messages? This cannot be undone.`)) return;
  state.events?.close();
  await api(sessionPath(), { method: 'DELETE' });
  state.session = null;
  $('session-head').hidden = true;
  $('messages').replaceChildren();
  $('empty').hidden = false;
  await loadSessions();
}

async function saveMetadata(event) {
  event.preventDefault();
  let metadata;
  try {
    metadata = JSON.parse($('metadata-text').value);
  } catch {
    showProblem({ message: 'The metadata is not valid JSON.', hint: 'Fix the JSON and save again.' });
    return;
  }
  if (!confirm(`Save this metadata on session ${state.session}?`)) return;
  const { session } = await api(`${sessionPath()}/metadata`, { method: 'PATCH', body: JSON.stringify({ metadata }) });
  showFacts(session);
  $('metadata-form').hidden = true;
}

const swallow = (fn) => (...args) => fn(...args).catch(() => undefined);

async function start() {
  const info = await api('info');
  state.readOnly = info.readOnly;
  $('backend').textContent = info.backend;
  $('mode').hidden = !info.readOnly;
  for (const node of document.querySelectorAll('[data-write]')) node.hidden = info.readOnly;
  await loadUsers();
}

$('problem-close').addEventListener('click', () => ($('problem').hidden = true));
$('users-more').addEventListener('click', swallow(() => loadUsers({ append: true })));
$('sessions-more').addEventListener('click', swallow(() => loadSessions({ append: true })));
$('older').addEventListener('click', swallow(loadOlder));
$('delete-session').addEventListener('click', swallow(deleteSession));
$('edit-metadata').addEventListener('click', () => ($('metadata-form').hidden = false));
$('metadata-cancel').addEventListener('click', () => ($('metadata-form').hidden = true));
$('metadata-form').addEventListener('submit', swallow(saveMetadata));
$('user-search').addEventListener('submit', swallow(async (event) => {
  event.preventDefault();
  const q = new FormData(event.target).get('q').trim();
  await loadUsers({ search: q || null });
}));
$('session-search').addEventListener('submit', swallow(async (event) => {
  event.preventDefault();
  const q = new FormData(event.target).get('q').trim();
  await loadSessions({ search: q || null });
}));
start().catch(() => undefined);
