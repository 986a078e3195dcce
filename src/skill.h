/* skill: not written yet */
