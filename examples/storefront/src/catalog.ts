/**
 * The shop's catalogue. Guanxi Records sells albums, as CDNOW did: the demo customers'
 * purchase histories come from CDNOW's transactions, so the shop they "bought" from
 * sells the same kind of thing. Artists and titles are invented.
 */
export interface Product {
  readonly id: string;
  readonly sku: string;
  readonly title: string;
  readonly artist: string;
  readonly genre: string;
  readonly year: number;
  readonly price: number;
  /** Two colours of the generated cover art. */
  readonly cover: readonly [string, string];
  readonly blurb: string;
}

export const catalog: readonly Product[] = [
  {
    id: 'p-harbour-lights',
    sku: 'GR-1001',
    title: 'Harbour Lights',
    artist: 'The Lantern Society',
    genre: 'Indie folk',
    year: 2024,
    price: 14.99,
    cover: ['#f59e0b', '#b45309'],
    blurb: 'Twelve songs recorded over one winter in a fishing town, warm and unhurried.',
  },
  {
    id: 'p-night-market',
    sku: 'GR-1002',
    title: 'Night Market',
    artist: 'Mei & the Neon Kites',
    genre: 'City pop',
    year: 2023,
    price: 16.5,
    cover: ['#ec4899', '#6d28d9'],
    blurb: 'Glossy synths and a bass line that never stops walking. Made for late trains.',
  },
  {
    id: 'p-granite',
    sku: 'GR-1003',
    title: 'Granite',
    artist: 'Low Fjell',
    genre: 'Post-rock',
    year: 2022,
    price: 12.0,
    cover: ['#64748b', '#1e293b'],
    blurb: 'Slow builds, long horizons. The quiet parts are as good as the loud ones.',
  },
  {
    id: 'p-sunday-brass',
    sku: 'GR-1004',
    title: 'Sunday Brass',
    artist: 'Second Line Social Club',
    genre: 'Jazz',
    year: 2021,
    price: 18.0,
    cover: ['#eab308', '#15803d'],
    blurb: 'A brass band in full swing, recorded live in one take in a church hall.',
  },
  {
    id: 'p-paper-cranes',
    sku: 'GR-1005',
    title: 'Paper Cranes',
    artist: 'Aiko Tanabe',
    genre: 'Piano',
    year: 2024,
    price: 11.99,
    cover: ['#38bdf8', '#1d4ed8'],
    blurb: 'Solo piano miniatures, each one folded from a single idea.',
  },
  {
    id: 'p-desert-radio',
    sku: 'GR-1006',
    title: 'Desert Radio',
    artist: 'Cactus Choir',
    genre: 'Americana',
    year: 2020,
    price: 13.49,
    cover: ['#fb923c', '#be123c'],
    blurb: 'Pedal steel, dust and harmonies, broadcast from somewhere past the last town.',
  },
  {
    id: 'p-tidal',
    sku: 'GR-1007',
    title: 'Tidal',
    artist: 'Oshun Waves',
    genre: 'Afrobeat',
    year: 2025,
    price: 15.99,
    cover: ['#14b8a6', '#0f766e'],
    blurb: 'Interlocking guitars and horns that pull you in and out like the sea.',
  },
  {
    id: 'p-static-bloom',
    sku: 'GR-1008',
    title: 'Static Bloom',
    artist: 'Vera Vox',
    genre: 'Electronic',
    year: 2025,
    price: 9.99,
    cover: ['#a3e635', '#4d7c0f'],
    blurb: 'Crackling tape loops grow into bright, danceable shapes.',
  },
];

/** The product with this id, or `undefined`. */
export function findProduct(id: string): Product | undefined {
  return catalog.find((product) => product.id === id);
}
