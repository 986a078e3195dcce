/* yaml: not written yet */
