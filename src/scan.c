/* scan: not written yet */
