#!/usr/bin/env node
// Text statistics skill: reads {"text": "...", "top": N} as JSON on stdin and writes the
// counts of characters, words, lines and sentences plus the most frequent words.
// Exit status 0 on success, 2 for invalid input; every outcome is one JSON object on stdout.
'use strict';

const MAX_INPUT_BYTES = 4 * 1024 * 1024;
const DEFAULT_TOP = 10;
const MAX_TOP = 100;
const EXIT_INVALID_INPUT = 2;

// A word is a run of letters, marks and digits. An apostrophe or hyphen between two such
// characters joins them ("don't", "well-known"), and so does a point or comma between two
// digits ("3.5", "1,000").
const WORD_JOINER = "(?:['\u2019\\-]|(?<=\\p{N})[.,](?=\\p{N}))";
const WORD = new RegExp(`[\\p{L}\\p{M}\\p{N}]+(?:${WORD_JOINER}[\\p{L}\\p{M}\\p{N}]+)*`, 'gu');
// A sentence ends at terminal punctuation that follows a word character (closing quotes or
// brackets may sit in between) and comes before white space or the end of the text.
const CLOSERS = "[\"'\u2019\u201d)\\]]*";
const SENTENCE_END = new RegExp(
    `[\\p{L}\\p{M}\\p{N}]${CLOSERS}[.!?\u2026]+${CLOSERS}(?=\\s|$)`, 'gu');
const LINE_BREAK = /\r\n|\r|\n/g;

function fail(message) {
    process.stdout.write(JSON.stringify({ error: message }) + '\n');
    process.exitCode = EXIT_INVALID_INPUT;
}

function countLines(text) {
    if (text.length === 0) {
        return 0;
    }
    const breaks = (text.match(LINE_BREAK) || []).length;
    const endsWithBreak = /(\r\n|\r|\n)$/.test(text);
    return endsWithBreak ? breaks : breaks + 1;
}

function countSentences(text) {
    const ends = [...text.matchAll(SENTENCE_END)];
    let count = ends.length;
    // Words after the last terminal mark form one more, unfinished sentence.
    const lastEnd = ends.length > 0 ? ends[ends.length - 1] : null;
    const rest = lastEnd ? text.slice(lastEnd.index + lastEnd[0].length) : text;
    if (/[\p{L}\p{N}]/u.test(rest)) {
        count += 1;
    }
    return count;
}

function topWords(words, limit) {
    const counts = new Map();
    for (const word of words) {
        const key = word.toLowerCase();
        counts.set(key, (counts.get(key) || 0) + 1);
    }
    const entries = [...counts.entries()];
    // Compare code units, not locale collation, so the order is the same on every host.
    entries.sort((x, y) => {
        if (x[1] !== y[1]) {
            return y[1] - x[1];
        }
        if (x[0] === y[0]) {
            return 0;
        }
        return x[0] < y[0] ? -1 : 1;
    });
    return entries.slice(0, limit).map(([word, count]) => ({ word, count }));
}

function measure(request) {
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
        return fail('input must be a JSON object such as {"text": "Hello world."}');
    }
    if (!Object.prototype.hasOwnProperty.call(request, 'text')) {
        return fail('missing field "text": give the text to measure as a string');
    }
    const text = request.text;
    if (typeof text !== 'string') {
        return fail(`field "text" must be a string, got ${JSON.stringify(text)}`);
    }
    let top = DEFAULT_TOP;
    if (Object.prototype.hasOwnProperty.call(request, 'top')) {
        top = request.top;
        if (!Number.isInteger(top) || top < 0 || top > MAX_TOP) {
            return fail(`field "top" must be an integer from 0 to ${MAX_TOP}, ` +
                        `got ${JSON.stringify(top)}`);
        }
    }

    const words = text.match(WORD) || [];
    const stats = {
        characters: [...text].length,
        words: words.length,
        lines: countLines(text),
        sentences: countSentences(text),
        top_words: topWords(words, top),
    };
    process.stdout.write(JSON.stringify(stats) + '\n');
}

function main() {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    process.stdin.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_INPUT_BYTES) {
            tooLarge = true;
        } else {
            chunks.push(chunk);
        }
    });
    process.stdin.on('end', () => {
        if (tooLarge) {
            return fail(`input is larger than ${MAX_INPUT_BYTES} bytes`);
        }
        const raw = Buffer.concat(chunks);
        let text;
        try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
        } catch (e) {
            return fail('input is not valid UTF-8');
        }
        let request;
        try {
            request = JSON.parse(text);
        } catch (e) {
            return fail(`input is not valid JSON: ${e.message}`);
        }
        measure(request);
    });
}

main();
