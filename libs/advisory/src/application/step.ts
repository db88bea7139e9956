/** The advisory handlers' evidence stamp is the kernel's who/when convention for event data. */
export { stepOf } from '@app/common';
