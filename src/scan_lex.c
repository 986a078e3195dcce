/* scan_lex: not written yet */
