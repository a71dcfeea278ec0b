import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthService, DomainException } from '@rt/domain';
import { Public } from './access.decorators';
import { TokenRequest, TokenResponse } from './auth.dto';
import { TokenService } from './token.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthApiController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Exchange an email and password for a bearer token' })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password, or the account is disabled (one answer for all)' })
  async token(@Body() body: TokenRequest): Promise<TokenResponse> {
    const signedIn = await this.auth.verifyCredentials(body.email, body.password);
    if (!signedIn) throw new DomainException('unauthenticated', 'The email address or password is not right');
    return this.tokens.issue(signedIn.actor, signedIn.tokenGeneration);
  }
}
