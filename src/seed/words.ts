import { sql, type RawBuilder } from 'kysely';

/**
 * Small word lists that the seed statements index with generate_series
 * numbers: the same scale always yields the same topics, titles and lines,
 * and they read like what the agent's users write.
 */

/**
 * `list[n mod length]` as SQL, for a non-negative integer expression `n`. The
 * list travels as parameters, so no word is ever spliced into the SQL text.
 */
export function pick(list: readonly string[], n: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(array[${sql.join(list)}]::text[])[1 + (${n}) % ${sql.lit(list.length)}]`;
}

export const FIRST_NAMES = ['Maya', 'Liam', 'Aisha', 'Noah', 'Sofia', 'Kenji', 'Elena', 'Omar', 'Priya', 'Lucas', 'Chloe', 'Mateo', 'Hana', 'Jonas', 'Zara', 'Diego'];
export const LAST_NAMES = ['Chen', 'Okafor', 'Schmidt', 'Garcia', 'Nakamura', 'Rossi', 'Haddad', 'Kowalski', 'Singh', 'Moreau', 'Silva', 'Johansson', 'Park', 'Novak', 'Mensah'];
export const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'pt-BR'];

export const VIDEO_FORMATS = [
  'A 60-second explainer on',
  'A product teaser about',
  'A step-by-step how-to on',
  'A short documentary about',
  'A vertical social clip about',
  'A training module on',
  'An animated story about',
  'A weekly news recap on',
];
export const SUBJECTS = [
  'urban beekeeping',
  'rooftop solar panels',
  'sourdough baking',
  'electric cargo bikes',
  'the history of jazz',
  'ocean plastic cleanup',
  'home espresso',
  'remote team rituals',
  'the Mars sample return mission',
  'indoor climbing',
  'quantum computing basics',
  'vertical farming',
  'vintage film cameras',
  'trail running',
  'coral reef restoration',
  'budgeting for students',
  'heat pumps',
  'container gardening',
  'the night sky in winter',
  'fermented hot sauce',
];
export const AUDIENCES = [
  'for first-time buyers',
  'for kids aged 8 to 12',
  'for small business owners',
  'for new employees',
  'for a spring product launch',
  'for Instagram Reels',
  'for a museum exhibit',
  'for a conference keynote',
];

export const STYLES = ['cinematic', 'flat illustration', 'watercolor', 'photorealistic', 'stop motion', 'isometric 3D', 'hand-drawn sketch', 'documentary handheld'];
export const VOICES = ['warm-female-en', 'calm-male-en', 'energetic-female-en', 'narrator-deep-en', 'friendly-neutral-en'];
export const MUSIC_MOODS = ['uplifting', 'ambient', 'playful', 'dramatic', 'lo-fi', 'acoustic'];
export const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:5'];

export const SHOTS = [
  'wide establishing shot',
  'close-up of hands at work',
  'slow dolly-in on the subject',
  'overhead flat lay',
  'over-the-shoulder view',
  'timelapse of the process',
  'split screen before and after',
  'closing shot with the call to action',
];

export const TASK_ERRORS = [
  'Video render timed out after 600 s on storyboard 5',
  'Image model refused the prompt of storyboard 3 (content policy)',
  'Text-to-speech service answered 503 Service Unavailable three times',
  'Out of GPU memory while upscaling storyboard 7 to 3840x2160',
  'Script generation exceeded the 8,192-token limit',
];

export const CONVERSATION_TITLES = [
  'Brainstorming video ideas',
  'Brand voice guidelines',
  'Choosing a narrator voice',
  'Q3 campaign plan',
  'Feedback on the last render',
  'Music licensing questions',
  'Shot list for the launch video',
  'Captions and translations',
];

export const SYSTEM_LINE = 'You are Arya, a video production assistant. Plan scripts, storyboards and renders, and keep answers short.';
export const USER_LINES = [
  'Can you make the opening shot shorter? It drags a bit.',
  'I like the second draft better, but the ending needs a clearer call to action.',
  'Please switch the narrator to a calmer voice.',
  'Could we try a vertical version for Reels?',
  'The colors in storyboard 4 look washed out, can you fix that?',
  'Add captions in Spanish and German, please.',
  'How long will the render take?',
  'Great, let us go with this version.',
];
export const ASSISTANT_LINES = [
  'Done: the opening is now 4 seconds instead of 7, and the rest shifts up accordingly.',
  'I rewrote the last scene so that it ends on the sign-up link, with the logo held for 2 seconds.',
  'Switched to the calm-male-en voice; the timing of every scene still fits.',
  'I prepared a 9:16 cut; storyboards 2 and 6 are reframed so that the subject stays centered.',
  'I raised the saturation and warmed the white balance of storyboard 4; the new frame is rendering.',
  'Captions in Spanish and German are attached as separate tracks.',
  'About 6 minutes: 8 storyboards at roughly 45 seconds each.',
  'Great! I marked this version as final and started the full-resolution render.',
];
export const TOOL_LINES = [
  '{"tool":"render_storyboard","status":"queued","etaSeconds":45}',
  '{"tool":"generate_image","status":"done","width":1920,"height":1080}',
  '{"tool":"text_to_speech","status":"done","durationSeconds":58.4}',
  '{"tool":"translate_captions","status":"done","languages":["es","de"]}',
];
