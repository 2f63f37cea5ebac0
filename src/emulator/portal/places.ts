/**
 * Real places the generated addresses come from: every part of one address (street, postal code,
 * city, region, country, coordinates) is drawn from a single place, so the parts always agree.
 */
import type { RowRandom } from './random.js';

export interface Place {
  city: string;
  /** ADDRESS_REGION: the district or county. */
  region: string;
  /** ADDRESS_PROVINCE: the state or federal subject. */
  province: string;
  country: string;
  countryCode: string;
  streets: readonly string[];
  /** Postal codes of the city, as written there. */
  postalCodes: readonly string[];
  lat: number;
  lng: number;
}

export const PLACES: readonly Place[] = [
  {
    city: 'Berlin',
    region: 'Berlin',
    province: 'Berlin',
    country: 'Germany',
    countryCode: 'DE',
    streets: ['Friedrichstraße', 'Torstraße', 'Kantstraße', 'Karl-Marx-Allee'],
    postalCodes: ['10115', '10117', '10178', '10243', '10623'],
    lat: 52.52,
    lng: 13.405,
  },
  {
    city: 'München',
    region: 'Oberbayern',
    province: 'Bayern',
    country: 'Germany',
    countryCode: 'DE',
    streets: ['Leopoldstraße', 'Maximilianstraße', 'Sendlinger Straße'],
    postalCodes: ['80331', '80333', '80539', '80802'],
    lat: 48.137,
    lng: 11.575,
  },
  {
    city: 'Wien',
    region: 'Wien',
    province: 'Wien',
    country: 'Austria',
    countryCode: 'AT',
    streets: ['Mariahilfer Straße', 'Kärntner Straße', 'Praterstraße'],
    postalCodes: ['1010', '1020', '1060', '1070'],
    lat: 48.208,
    lng: 16.373,
  },
  {
    city: 'Москва',
    region: 'Москва',
    province: 'Москва',
    country: 'Россия',
    countryCode: 'RU',
    streets: ['ул. Тверская', 'ул. Арбат', 'Ленинский проспект', 'ул. Покровка'],
    postalCodes: ['101000', '119002', '119019', '125009'],
    lat: 55.756,
    lng: 37.617,
  },
  {
    city: 'Санкт-Петербург',
    region: 'Санкт-Петербург',
    province: 'Санкт-Петербург',
    country: 'Россия',
    countryCode: 'RU',
    streets: ['Невский проспект', 'ул. Рубинштейна', 'Литейный проспект'],
    postalCodes: ['191025', '191011', '191028'],
    lat: 59.934,
    lng: 30.335,
  },
  {
    city: 'London',
    region: 'Greater London',
    province: 'England',
    country: 'United Kingdom',
    countryCode: 'GB',
    streets: ['Baker Street', 'Oxford Street', 'Old Street', 'Shoreditch High Street'],
    postalCodes: ['NW1 6XE', 'W1D 1BS', 'EC1V 9HL', 'E1 6JE'],
    lat: 51.507,
    lng: -0.128,
  },
  {
    city: 'Lisboa',
    region: 'Lisboa',
    province: 'Lisboa',
    country: 'Portugal',
    countryCode: 'PT',
    streets: ['Avenida da Liberdade', 'Rua Augusta', 'Rua do Ouro'],
    postalCodes: ['1250-096', '1100-048', '1100-063'],
    lat: 38.722,
    lng: -9.139,
  },
  {
    city: '上海',
    region: '黄浦区',
    province: '上海市',
    country: '中国',
    countryCode: 'CN',
    streets: ['南京东路', '淮海中路', '西藏中路'],
    postalCodes: ['200001', '200002', '200021'],
    lat: 31.23,
    lng: 121.474,
  },
];

/** One address, every part from the same place. */
export interface Address {
  place: Place;
  street: string;
  house: number;
  postalCode: string;
  /** Longitude/latitude within a few kilometres of the city centre. */
  lat: number;
  lng: number;
}

export function pickAddress(r: RowRandom): Address {
  const place = r.pick(PLACES);
  return {
    place,
    street: r.pick(place.streets),
    house: r.int(1, 120),
    postalCode: r.pick(place.postalCodes),
    lat: place.lat + (r.next() - 0.5) / 20,
    lng: place.lng + (r.next() - 0.5) / 20,
  };
}

/** One-line text of an address: "street, house, city, province, country, postal code". */
export function addressText(a: Address): string {
  const p = a.place;
  return `${a.street}, ${a.house}, ${p.city}, ${p.province}, ${p.country}, ${a.postalCode}`;
}
