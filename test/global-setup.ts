// Placeholder replaced by the Neo4j launcher wiring.
export default async function setup(): Promise<void> {}
