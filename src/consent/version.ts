/** The library version stamped on proof records (kept equal to package.json by a test). */
export const guanxiLibraryVersion = '0.1.0';
