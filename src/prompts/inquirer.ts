/**
 * The inquirer prompts the wizard shows, imported by name: the bundle holds these and drops
 * the rest of @inquirer/prompts (its editor prompt alone pulls in half a megabyte of character
 * set tables). Imported by src/prompts/prompter.ts when a prompt is first shown.
 */
export { checkbox, confirm, input, password, select, Separator } from '@inquirer/prompts';
