export { type VigilEvent, type NewEvent, type EventAudience, audienceOf, canReceive, appendEvent, readEventsAfter, lastEventId } from './log.js';
export { type EventBus, inProcessBus } from './bus.js';
