// `node --import ./register.mjs …`: installs hooks.mjs before the main process loads.
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
