import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { instantInPastYear } from './time.js';
import { ASSISTANT_LINES, CONVERSATION_TITLES, SYSTEM_LINE, TOOL_LINES, USER_LINES, pick } from './words.js';

/** Minutes between two messages of a conversation. */
const MESSAGE_GAP_MINUTES = 2;

export interface ConversationShape {
  readonly conversations: number;
  readonly messagesPerConversation: number;
}

/**
 * `conversations` conversations for every user of `seed_users`, each with
 * `messagesPerConversation` messages, in one statement (the messages' foreign
 * key is checked at its end). Odd-numbered conversations are about the
 * user's task of the same ordinal, when there is one; the others about no task.
 */
export async function insertChunkConversations(trx: Db, shape: ConversationShape): Promise<void> {
  const messages = shape.messagesPerConversation;
  // A conversation opens with the system prompt; then user and assistant take
  // turns, and every sixth message is a tool result. j pairs each user line
  // with the assistant line that answers it.
  const j = sql`(m / 2 + p.c)`;
  await sql`
    with planned as (
      select gen_random_uuid() as id, u.id as user_id, u.ordinal as user_ordinal, c, t.id as task_id, t.topic,
             coalesce(t.created_at + interval '15 minutes',
                      ${instantInPastYear(sql`c`, sql`u.ordinal`)})
               as created_at
      from seed_users as u
      cross join generate_series(1, ${shape.conversations}::integer) as c
      left join seed_tasks as t on t.user_id = u.id and t.ordinal = c and c % 2 = 1
    ),
    inserted as (
      insert into conversations (id, user_id, task_id, title, created_at, updated_at)
      select id, user_id, task_id, coalesce('About: ' || topic, ${pick(CONVERSATION_TITLES, sql`c + user_ordinal`)}),
             created_at, created_at + make_interval(mins => ${messages}::integer * ${sql.lit(MESSAGE_GAP_MINUTES)})
      from planned
    )
    insert into messages (conversation_id, role, content, created_at)
    select p.id,
           (case when m = 1 then 'system' when m % 6 = 0 then 'tool' when m % 2 = 0 then 'user' else 'assistant' end)::message_role,
           case when m = 1 then ${SYSTEM_LINE}
                when m % 6 = 0 then ${pick(TOOL_LINES, j)}
                when m % 2 = 0 then ${pick(USER_LINES, j)}
                else ${pick(ASSISTANT_LINES, j)} end,
           p.created_at + make_interval(mins => m * ${sql.lit(MESSAGE_GAP_MINUTES)})
    from planned as p cross join generate_series(1, ${messages}::integer) as m`.execute(trx);
}
