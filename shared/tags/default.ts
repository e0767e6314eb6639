/** The catalogue every file is tagged with, compiled once per thread. */
import { TagCatalogue } from './tagger';

export const TAG_CATALOGUE = new TagCatalogue();
