/* sandbox_landlock: not written yet */
