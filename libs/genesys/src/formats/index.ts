export * from './format.types';
export * from './detect-format';
export { mapTranscriptDocument } from './transcript-document.mapper';
export { routeTopic, topicPatternOf, type TopicRoute, type DetailEventName } from './topic-route';
export { eventIdOf } from './conversation-event.factory';
export { participantOf, mediaTypeOf } from './participant.mapper';
export { contactHintsOf, DEFAULT_CONTACT_ID_ATTRIBUTES, type HintSources } from './contact-hints.mapper';
