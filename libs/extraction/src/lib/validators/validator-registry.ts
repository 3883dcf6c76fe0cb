import { validateAccountId } from './account-id.validator';
import { validateCardNumber } from './card-number.validator';
import { validateCaseNumber } from './case-number.validator';
import { validateEmail } from './email.validator';
import { validateOrderNumber } from './order-number.validator';
import { validatePhone } from './phone.validator';
import { validateProduct } from './product.validator';
import { type ValidatorName, type ValueValidator } from './value-validator';

export const VALIDATORS: Readonly<Record<ValidatorName, ValueValidator>> = {
  'order-number': validateOrderNumber,
  'account-id': validateAccountId,
  'case-number': validateCaseNumber,
  email: validateEmail,
  phone: validatePhone,
  product: validateProduct,
  'card-number': validateCardNumber,
};
