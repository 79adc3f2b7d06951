/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

export type AddResourceInput = {
  /** Seconds. */
  durationSeconds?: InputMaybe<Scalars['Float']['input']>;
  height?: InputMaybe<Scalars['Int']['input']>;
  kind: ResourceKind;
  mimeType: Scalars['String']['input'];
  /** Bytes. */
  sizeBytes?: InputMaybe<Scalars['Float']['input']>;
  /** https: to a public host, at most 2048 characters; other schemes only towards the object stores the server allows. */
  url: Scalars['String']['input'];
  width?: InputMaybe<Scalars['Int']['input']>;
};

export type AddScriptInput = {
  /** 1 to 100,000 characters. */
  content: Scalars['String']['input'];
  taskId: Scalars['ID']['input'];
  title: Scalars['String']['input'];
};

export type AddStoryboardInput = {
  /** 1 to 4,000 characters. */
  description: Scalars['String']['input'];
  /** Seconds, more than 0. */
  durationSeconds: Scalars['Float']['input'];
  /** 1 to 4,000 characters. */
  prompt: Scalars['String']['input'];
  sequenceNumber: Scalars['Int']['input'];
};

/** A conversation between the user and the agent, about a task or not. */
export type Conversation = {
  __typename?: 'Conversation';
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** Oldest first: `first`/`after` from the start, `last`/`before` from the end. */
  messages: MessageConnection;
  task?: Maybe<Task>;
  title: Scalars['String']['output'];
  /** When the last message was posted. */
  updatedAt: Scalars['DateTimeISO']['output'];
};


/** A conversation between the user and the agent, about a task or not. */
export type ConversationMessagesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

export type ConversationConnection = {
  __typename?: 'ConversationConnection';
  edges: Array<ConversationEdge>;
  /** The nodes of `edges`, for clients that need no cursors. */
  nodes: Array<Conversation>;
  pageInfo: PageInfo;
};

export type ConversationEdge = {
  __typename?: 'ConversationEdge';
  /** Pass as `after` (or `before`) to continue from this row. */
  cursor: Scalars['String']['output'];
  node: Conversation;
};

/** Newest activity first by default (the last message posted, else the creation). */
export type ConversationOrder =
  /** The newest conversation first, by when it was started. */
  | 'CREATED_AT_DESC'
  /** The conversation with the newest message first; posting a message moves it to the top. */
  | 'UPDATED_AT_DESC';

export type CreateConversationInput = {
  /** The task the conversation is about, if any. */
  taskId?: InputMaybe<Scalars['ID']['input']>;
  title: Scalars['String']['input'];
};

export type CreateTaskInput = {
  /** Generation settings, stored as given: at most 64 KB of JSON. */
  options?: InputMaybe<Scalars['JSONObject']['input']>;
  priority?: InputMaybe<TaskPriority>;
  /** 1 to 500 characters after trimming. */
  topic: Scalars['String']['input'];
};

export type Message = {
  __typename?: 'Message';
  content: Scalars['String']['output'];
  conversation: Conversation;
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  role: MessageRole;
  /** Opaque; changes with every change of this row. Pass it as `since` to a subscription to miss nothing. */
  version: Scalars['String']['output'];
};

export type MessageConnection = {
  __typename?: 'MessageConnection';
  edges: Array<MessageEdge>;
  /** The nodes of `edges`, for clients that need no cursors. */
  nodes: Array<Message>;
  pageInfo: PageInfo;
};

export type MessageEdge = {
  __typename?: 'MessageEdge';
  /** Pass as `after` (or `before`) to continue from this row. */
  cursor: Scalars['String']['output'];
  node: Message;
};

export type MessageRole =
  | 'ASSISTANT'
  | 'SYSTEM'
  | 'TOOL'
  | 'USER';

export type Mutation = {
  __typename?: 'Mutation';
  /** Adds up to 500 resources to a task in one statement, all or none, in input order. Agent tokens only. */
  addResources: Array<Resource>;
  /** Adds the next version of the task script. Agent tokens only. */
  addScript: Script;
  /** Adds up to 500 storyboards to a task in one statement, all or none, in input order. Agent tokens only. */
  addStoryboards: Array<Storyboard>;
  /** Cancels a task that is PENDING or RUNNING. */
  cancelTask: Task;
  createConversation: Conversation;
  createTask: Task;
  /** Creates up to 500 tasks in one statement, all or none. A retry with the same idempotencyKey answers the first call, for 24 hours by default (IDEMPOTENCY_KEY_TTL_S); after that the key creates anew. */
  createTasks: Array<Task>;
  /** Deletes a task with its scripts, storyboards and resources; answers its id. */
  deleteTask: Scalars['ID']['output'];
  /** Posts a message; the conversation moves to the top of updatedAt. USER messages with any token; ASSISTANT, SYSTEM and TOOL with an agent token only. */
  postMessage: Message;
  /** Sets (or, with null, removes) a storyboard's first-frame image and video. Agent tokens only. */
  setStoryboardMedia: Storyboard;
  /** PENDING -> RUNNING, FAILED or CANCELLED; RUNNING -> RUNNING, COMPLETED, FAILED or CANCELLED; COMPLETED, FAILED and CANCELLED are final. Progress never goes down; COMPLETED sets it to 1. Agent tokens only. */
  updateTaskStatus: Task;
  /** Each item with its own values, in one statement; all or none. Agent tokens only. */
  updateTasksStatus: Array<Task>;
};


export type MutationAddResourcesArgs = {
  inputs: Array<AddResourceInput>;
  taskId: Scalars['ID']['input'];
};


export type MutationAddScriptArgs = {
  input: AddScriptInput;
};


export type MutationAddStoryboardsArgs = {
  inputs: Array<AddStoryboardInput>;
  taskId: Scalars['ID']['input'];
};


export type MutationCancelTaskArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateConversationArgs = {
  input: CreateConversationInput;
};


export type MutationCreateTaskArgs = {
  input: CreateTaskInput;
};


export type MutationCreateTasksArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  inputs: Array<CreateTaskInput>;
};


export type MutationDeleteTaskArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPostMessageArgs = {
  input: PostMessageInput;
};


export type MutationSetStoryboardMediaArgs = {
  input: SetStoryboardMediaInput;
};


export type MutationUpdateTaskStatusArgs = {
  input: UpdateTaskStatusInput;
};


export type MutationUpdateTasksStatusArgs = {
  inputs: Array<UpdateTaskStatusInput>;
};

/** Where a page sits in its list (Relay cursor connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type PostMessageInput = {
  /** 1 to 32,000 characters. */
  content: Scalars['String']['input'];
  conversationId: Scalars['ID']['input'];
  role: MessageRole;
};

export type Query = {
  __typename?: 'Query';
  /** One of the viewer's conversations; null for any other id (missing or another user's). */
  conversation?: Maybe<Conversation>;
  /** The viewer's conversations, the newest activity first unless ordered otherwise. */
  conversations: ConversationConnection;
  /** A resource of one of the viewer's tasks; null for any other id (missing or another user's). */
  resource?: Maybe<Resource>;
  /** A script of one of the viewer's tasks; null for any other id (missing or another user's). */
  script?: Maybe<Script>;
  /** A storyboard of one of the viewer's tasks; null for any other id (missing or another user's). */
  storyboard?: Maybe<Storyboard>;
  /** One of the viewer's tasks; null for any other id (missing or another user's). */
  task?: Maybe<Task>;
  /** The viewer's tasks, newest first unless ordered otherwise. */
  tasks: TaskConnection;
  /** The signed-in user: the root of everything they own. */
  viewer: User;
};


export type QueryConversationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryConversationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ConversationOrder>;
};


export type QueryResourceArgs = {
  id: Scalars['ID']['input'];
};


export type QueryScriptArgs = {
  id: Scalars['ID']['input'];
};


export type QueryStoryboardArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTaskArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTasksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TaskFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<TaskOrder>;
};

/** A file the agent rendered for a task: an image, a video or audio. */
export type Resource = {
  __typename?: 'Resource';
  createdAt: Scalars['DateTimeISO']['output'];
  /** Seconds, for video and audio. */
  durationSeconds?: Maybe<Scalars['Float']['output']>;
  /** Pixels. */
  height?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  kind: ResourceKind;
  mimeType: Scalars['String']['output'];
  /** Bytes (a Float: files can pass 2^31 bytes). */
  sizeBytes?: Maybe<Scalars['Float']['output']>;
  task: Task;
  url: Scalars['String']['output'];
  /** Pixels. */
  width?: Maybe<Scalars['Int']['output']>;
};

export type ResourceKind =
  | 'AUDIO'
  | 'IMAGE'
  | 'VIDEO';

/** A version of a task's script; a task keeps every version. */
export type Script = {
  __typename?: 'Script';
  /** The full text; read only when asked for. */
  content: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  task: Task;
  title: Scalars['String']['output'];
  /** Counts from 1 within the task. */
  version: Scalars['Int']['output'];
};

/** Omitted media stay as they are; null removes them. */
export type SetStoryboardMediaInput = {
  /** An IMAGE resource of the same task. */
  firstFrameImageId?: InputMaybe<Scalars['ID']['input']>;
  storyboardId: Scalars['ID']['input'];
  /** A VIDEO resource of the same task. */
  videoId?: InputMaybe<Scalars['ID']['input']>;
};

/** One cut of a task: what it shows, the prompt it is rendered from, and its media. */
export type Storyboard = {
  __typename?: 'Storyboard';
  createdAt: Scalars['DateTimeISO']['output'];
  description: Scalars['String']['output'];
  /** Seconds. */
  durationSeconds: Scalars['Float']['output'];
  firstFrameImage?: Maybe<Resource>;
  id: Scalars['ID']['output'];
  prompt: Scalars['String']['output'];
  /** Position in the video, from 0. */
  sequenceNumber: Scalars['Int']['output'];
  task: Task;
  /** Opaque; changes with every change of this row. Pass it as `since` to a subscription to miss nothing. */
  version: Scalars['String']['output'];
  video?: Maybe<Resource>;
};

export type StoryboardConnection = {
  __typename?: 'StoryboardConnection';
  edges: Array<StoryboardEdge>;
  /** The nodes of `edges`, for clients that need no cursors. */
  nodes: Array<Storyboard>;
  pageInfo: PageInfo;
};

export type StoryboardEdge = {
  __typename?: 'StoryboardEdge';
  /** Pass as `after` (or `before`) to continue from this row. */
  cursor: Scalars['String']['output'];
  node: Storyboard;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Each message posted to one of the viewer's conversations. */
  messageAdded: Message;
  /** Storyboards added to one of the viewer's tasks, and media set on them. */
  storyboardsChanged: Storyboard;
  /** The task after each change: status, progress, error. Completes when the task is deleted. */
  taskUpdated: Task;
  /** The viewer's tasks as they are created, updated and deleted. */
  viewerTasksChanged: TaskChange;
};


export type SubscriptionMessageAddedArgs = {
  conversationId: Scalars['ID']['input'];
  since?: InputMaybe<Scalars['String']['input']>;
};


export type SubscriptionStoryboardsChangedArgs = {
  since?: InputMaybe<Scalars['String']['input']>;
  taskId: Scalars['ID']['input'];
};


export type SubscriptionTaskUpdatedArgs = {
  id: Scalars['ID']['input'];
  since?: InputMaybe<Scalars['String']['input']>;
};


export type SubscriptionViewerTasksChangedArgs = {
  since?: InputMaybe<Scalars['String']['input']>;
};

/** A topic the agent turns into a video, with everything made for it. */
export type Task = {
  __typename?: 'Task';
  /** Conversations about this task, newest first. */
  conversations: Array<Conversation>;
  createdAt: Scalars['DateTimeISO']['output'];
  /** Why the task failed, when it did. */
  error?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  latestScript?: Maybe<Script>;
  /** Generation settings as the client gave them. */
  options: Scalars['JSONObject']['output'];
  priority: TaskPriority;
  /** From 0 to 1. */
  progress: Scalars['Float']['output'];
  /** Oldest first; all kinds unless one is given. */
  resources: Array<Resource>;
  /** The newest versions first; older ones by id (`script`). */
  scripts: Array<Script>;
  status: TaskStatus;
  /** In sequence order. */
  storyboards: StoryboardConnection;
  topic: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  /** Opaque; changes with every change of this row. Pass it as `since` to a subscription to miss nothing. */
  version: Scalars['String']['output'];
};


/** A topic the agent turns into a video, with everything made for it. */
export type TaskConversationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A topic the agent turns into a video, with everything made for it. */
export type TaskResourcesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<ResourceKind>;
};


/** A topic the agent turns into a video, with everything made for it. */
export type TaskScriptsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A topic the agent turns into a video, with everything made for it. */
export type TaskStoryboardsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A change to one of the viewer's tasks, as viewerTasksChanged sends it. */
export type TaskChange = {
  __typename?: 'TaskChange';
  kind: TaskChangeKind;
  /** The task after the change; null once deleted. */
  task?: Maybe<Task>;
  taskId: Scalars['ID']['output'];
  /** The version of the task this change made: pass the last one seen as `since` when resubscribing. */
  version: Scalars['String']['output'];
};

export type TaskChangeKind =
  | 'CREATED'
  | 'DELETED'
  | 'UPDATED';

export type TaskConnection = {
  __typename?: 'TaskConnection';
  edges: Array<TaskEdge>;
  /** The nodes of `edges`, for clients that need no cursors. */
  nodes: Array<Task>;
  pageInfo: PageInfo;
};

export type TaskEdge = {
  __typename?: 'TaskEdge';
  /** Pass as `after` (or `before`) to continue from this row. */
  cursor: Scalars['String']['output'];
  node: Task;
};

/** All given conditions must hold. */
export type TaskFilter = {
  /** Created at or after this instant. */
  createdAfter?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** Created before this instant. */
  createdBefore?: InputMaybe<Scalars['DateTimeISO']['input']>;
  priority?: InputMaybe<TaskPriority>;
  status?: InputMaybe<TaskStatus>;
};

/** Newest first by default. */
export type TaskOrder =
  | 'CREATED_AT_ASC'
  | 'CREATED_AT_DESC';

export type TaskPriority =
  | 'HIGH'
  | 'LOW'
  | 'NORMAL'
  | 'URGENT';

export type TaskStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING';

export type UpdateTaskStatusInput = {
  /** Why the task failed; kept only with FAILED. */
  error?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  /** From 0 to 1; unchanged when omitted. */
  progress?: InputMaybe<Scalars['Float']['input']>;
  status: TaskStatus;
};

/** The signed-in user. */
export type User = {
  __typename?: 'User';
  /** The user's agent settings. */
  config: Scalars['JSONObject']['output'];
  /** The same list as Query.conversations. */
  conversations: ConversationConnection;
  createdAt: Scalars['DateTimeISO']['output'];
  displayName: Scalars['String']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The same list as Query.tasks. */
  tasks: TaskConnection;
};


/** The signed-in user. */
export type UserConversationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ConversationOrder>;
};


/** The signed-in user. */
export type UserTasksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TaskFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<TaskOrder>;
};

export type BatchCreateTasksMutationVariables = Exact<{
  inputs: Array<CreateTaskInput> | CreateTaskInput;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
}>;


export type BatchCreateTasksMutation = { __typename?: 'Mutation', createTasks: Array<{ __typename?: 'Task', id: string }> };

export type BatchUpdateTasksStatusMutationVariables = Exact<{
  inputs: Array<UpdateTaskStatusInput> | UpdateTaskStatusInput;
}>;


export type BatchUpdateTasksStatusMutation = { __typename?: 'Mutation', updateTasksStatus: Array<{ __typename?: 'Task', id: string, status: TaskStatus }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const BatchCreateTasksDocument = new TypedDocumentString(`
    mutation BatchCreateTasks($inputs: [CreateTaskInput!]!, $idempotencyKey: String) {
  createTasks(inputs: $inputs, idempotencyKey: $idempotencyKey) {
    id
  }
}
    `) as unknown as TypedDocumentString<BatchCreateTasksMutation, BatchCreateTasksMutationVariables>;
export const BatchUpdateTasksStatusDocument = new TypedDocumentString(`
    mutation BatchUpdateTasksStatus($inputs: [UpdateTaskStatusInput!]!) {
  updateTasksStatus(inputs: $inputs) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<BatchUpdateTasksStatusMutation, BatchUpdateTasksStatusMutationVariables>;