/** Injection token of the options given to `forRoot` / returned by `createM2mOptions`. */
export const M2M_MODULE_OPTIONS = Symbol('M2M_MODULE_OPTIONS');
