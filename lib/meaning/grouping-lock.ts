/** The advisory lock under which prompt groups and meaning_documents are written (one writer at a time). */
export const GROUPING_LOCK = 72_110_011;
