import { DEFAULT_CLUSTER_SETTINGS, type ClusterSettings } from "@/lib/meaning/question-clusters";

/**
 * Bump when the analysis or the matching changes in a way that moves messages between groups:
 * a stored grouping made with another fingerprint is regrouped (on start, or `training regroup`).
 */
export const ENGINE_VERSION = "meaning-2";

/** The grouping's settings: the defaults with GROUP_SIMILARITY as the join score. */
export function clusterSettings(groupSimilarity: number): ClusterSettings {
  return { ...DEFAULT_CLUSTER_SETTINGS, joinScore: groupSimilarity };
}

/** Engine version and settings, as stored in meaning_state.engine. */
export function engineFingerprint(settings: ClusterSettings): string {
  return `${ENGINE_VERSION}:join=${settings.joinScore}:link=${settings.replyLink}/${settings.replyLinkFloor}:reply=${settings.replyWeight}:veto=${settings.replyVeto}/${settings.sameWording}`;
}
