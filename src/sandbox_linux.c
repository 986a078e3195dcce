/* sandbox_linux: not written yet */
