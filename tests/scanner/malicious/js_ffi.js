// expect: js-ffi
const ffi = require('ffi-napi');
const libc = ffi.Library('libc', { system: ['int', ['string']] });
