import { queryData, postGraphQL } from '../bench/graphql-client.js';

/** Largest first: the biggest script content the server accepts is the one used. */
const CONTENT_SIZES = [1_000_000, 100_000, 10_000];
/** A paragraph of a video script, repeated: compresses on disk like a real one (~1 % of its size). */
const PARAGRAPH = 'SCENE 12. The camera pans across the harbour at dawn while the narrator explains how tides are made by the moon. ';
/** One at a time: each addScript takes the task's next version number, and concurrent ones conflict (CONFLICT). */
const CONCURRENCY = 1;
const SETUP_LIMIT_MS = 180_000;

const CREATE_TASK = 'mutation AbuseSetupTask($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const ADD_SCRIPT = 'mutation AbuseSetupScript($input: AddScriptInput!) { addScript(input: $input) { id } }';

export interface LargeScripts {
  readonly taskId: string;
  readonly versions: number;
  readonly contentChars: number;
  readonly note: string | undefined;
}

/**
 * A task of the attacker with `versions` large scripts, written through the
 * API with an agent token (scripts are the agent's to write), as a
 * compromised or buggy agent would.
 */
export async function createLargeScripts(url: string, userToken: string, agentToken: string, runTag: string, versions: number): Promise<LargeScripts> {
  const { createTask } = await queryData<{ createTask: { id: string } }>(url, userToken, { query: CREATE_TASK, variables: { input: { topic: `${runTag} huge scripts` } } });
  const taskId = createTask.id;
  const addScript = (content: string, n: number) => postGraphQL<{ addScript: { id: string } }>(url, agentToken, { query: ADD_SCRIPT, variables: { input: { taskId, title: `v${n}`, content } } });

  let content: string | undefined;
  const refusals: string[] = [];
  for (const size of CONTENT_SIZES) {
    const candidate = PARAGRAPH.repeat(Math.ceil(size / PARAGRAPH.length)).slice(0, size);
    let answer = await addScript(candidate, 0);
    // A refused size still spends the budget (its body is charged): wait and ask again rather than take a 429 for a no.
    for (let tries = 0; answer.status === 429 && tries < 30; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      answer = await addScript(candidate, 0);
    }
    if (answer.data?.addScript) {
      content = candidate;
      break;
    }
    refusals.push(`${size.toLocaleString('en')} chars: ${answer.status} ${answer.errors?.[0]?.extensions?.code ?? ''}`.trim());
  }
  if (content === undefined) throw new Error(`the server accepted no large script (${refusals.join('; ')})`);

  let written = 1;
  let claimed = 1;
  let stopped: string | undefined;
  const deadline = Date.now() + SETUP_LIMIT_MS;
  const worker = async () => {
    while (claimed < versions && stopped === undefined) {
      if (Date.now() > deadline) {
        stopped = `setup stopped after ${SETUP_LIMIT_MS / 1000} s`;
        break;
      }
      const n = claimed++;
      const answer = await addScript(content, n);
      if (answer.data?.addScript) {
        written++;
        continue;
      }
      claimed--;
      // Over its budget, the attacker waits like any client; any other refusal ends the setup.
      if (answer.status === 429) await new Promise((resolve) => setTimeout(resolve, 1_000));
      else stopped = `addScript answered ${answer.status} ${answer.errors?.[0]?.extensions?.code ?? ''}`.trim();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const note = [refusals.length > 0 ? `refused: ${refusals.join('; ')}` : '', stopped ?? ''].filter(Boolean).join('; ') || undefined;
  return { taskId, versions: written, contentChars: content.length, note };
}
