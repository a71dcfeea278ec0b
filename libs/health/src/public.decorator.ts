import { SetMetadata } from '@nestjs/common';

/** Same key the API's access guard reads: health needs no sign-in. */
export const PUBLIC_KEY = 'rt:public';
export const Public = () => SetMetadata(PUBLIC_KEY, true);
